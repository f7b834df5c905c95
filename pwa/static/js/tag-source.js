/** How the device now open got its tag (docs/evidence.md, Presence): `camera` (the scanner, or a
 *  photo of the label), `typed` or `list`. Carried in the history entry, so a reload or 返回 keeps it
 *  and a link opened from outside the app (a label read by the system camera) has none: unknown. */
const SOURCES = ['camera', 'typed', 'list'];

/** The navigation state that says how the tag was obtained. */
export function via(source) { return SOURCES.includes(source) ? {tag_source: source} : null; }

/** The tag source of the current history entry, or null (unknown). */
export function tagSource() {
  const found = history.state?.tag_source;
  return SOURCES.includes(found) ? found : null;
}

/** Open a device's page saying how its tag was obtained. */
export function openDevice(ctx, tag, source, {replace = false} = {}) {
  ctx.nav(`/d/${tag}`, {replace, state: via(source)});
}
