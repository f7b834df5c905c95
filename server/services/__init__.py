"""Domain operations; they flush, the request or CLI command commits once."""
