"""Coverage: period summaries, detail lists, exports, the tile map and the derived visit_target rows."""
