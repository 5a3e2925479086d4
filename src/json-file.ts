/**
 * Reads a JSON configuration file (the mapping, the schedules file, the drift fixture) and says which of the two
 * things went wrong when it fails — the file could not be read, or it is not JSON — so each caller words its own error.
 */
import { readFileSync } from 'node:fs';

export type JsonFileRead =
  | { ok: true; json: unknown }
  /** `code` is the errno code (ENOENT…) when the file could not be read; `message` the reader's or the parser's words. */
  | { ok: false; problem: 'unreadable' | 'invalid-json'; code: string | undefined; message: string };

export function readJsonFile(path: string): JsonFileRead {
  let text: string;
  try {
    text = readFileSync(path, 'utf8');
  } catch (error) {
    return { ok: false, problem: 'unreadable', code: (error as NodeJS.ErrnoException).code, message: error instanceof Error ? error.message : String(error) };
  }
  try {
    return { ok: true, json: JSON.parse(text) as unknown };
  } catch (error) {
    return { ok: false, problem: 'invalid-json', code: undefined, message: error instanceof Error ? error.message : String(error) };
  }
}
