/** Shared by the codec tests: how to look for a secret that may have been stored base64-encoded. */

/**
 * The forms in which `secret` may sit inside a base64 text that encodes more than the secret: one per byte alignment
 * (0, 1, 2), each only the characters that encode the secret's bytes alone.
 */
export function secretForms(secret: string): string[] {
  return [0, 1, 2].map((shift) => {
    const encoded = Buffer.from(`${'x'.repeat(shift)}${secret}`).toString('base64');
    return encoded.slice(shift === 0 ? 0 : 4, -4);
  });
}
