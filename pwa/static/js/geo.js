/** Position with accuracy when the engineer allows it; never blocks saving (basements have no GPS). */
let last = null;

export function watchPosition() {
  if (!('geolocation' in navigator)) return;
  try {
    navigator.geolocation.getCurrentPosition(remember, () => {}, {enableHighAccuracy: true, timeout: 15000, maximumAge: 120000});
  } catch { /* permission API quirks: ignore */ }
}

function remember(pos) {
  last = {lat: pos.coords.latitude, lon: pos.coords.longitude, accuracy: pos.coords.accuracy, at: pos.timestamp};
}

/** Best position known now (at most 10 minutes old) or null. */
export function currentPosition() {
  if (!last || Date.now() - last.at > 10 * 60 * 1000) return null;
  const {lat, lon, accuracy} = last;
  return {lat, lon, accuracy};
}
