/**
 * A JSON encoder compatible with PHP's `wp_json_encode()` with default flags, which is how WordPress encodes REST
 * responses and WooCommerce encodes webhook bodies:
 *  - `/` is escaped as `\/` (no JSON_UNESCAPED_SLASHES);
 *  - every non-ASCII character is escaped as `\uXXXX` with lower-case hex (no JSON_UNESCAPED_UNICODE); characters
 *    outside the BMP become a UTF-16 surrogate pair (`\ud83d\udeaa`), exactly as PHP writes them;
 *  - control characters use `\b \f \n \r \t` or `\u00XX`, like JSON.stringify.
 * The output is therefore pure ASCII, and an HMAC over `Buffer.from(output)` is the same as over PHP's bytes.
 *
 * Limitation: JavaScript does not distinguish integers from floats, so a PHP float with no fraction (`10.0`, which
 * PHP ≥ 7.1 prints as `10.0`) is printed as `10` here.
 */

const NON_ASCII = /[\u0080-\uffff]/g;
const SLASH = /\//g;

function escapeCodeUnit(char: string): string {
  return `\\u${char.charCodeAt(0).toString(16).padStart(4, '0')}`;
}

/** Encodes a JSON-serialisable value like PHP `wp_json_encode($value)`. Returns the encoded text (ASCII only). */
export function phpJsonEncode(value: unknown): string {
  const json = JSON.stringify(value);
  if (json === undefined) return 'null';
  // `/` can only occur inside string literals in JSON text and is never part of an escape sequence, so a plain
  // replacement is exact. JavaScript strings are UTF-16, so an astral character is already two code units and
  // each is escaped on its own, giving the surrogate pair PHP emits.
  return json.replace(SLASH, '\\/').replace(NON_ASCII, escapeCodeUnit);
}
