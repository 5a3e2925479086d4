/**
 * Reads the mapping file for a store, afresh whenever the file changed: a `retry` after the engineer edits the
 * mapping (or a ConfigMap update) uses the new mapping without restarting workers. A file that fails validation is
 * a NeedsAttention (InvalidMapping) naming the file and the path.
 */
import { statSync } from 'node:fs';
import { loadMappingFile, MappingConfigError, type Mapping } from '../mapping';
import { needsAttention } from './failures';

export interface MappingSource {
  /** The merged mapping of `store`. Throws a NeedsAttention failure when the file is invalid. */
  forStore(store: string): Mapping;
  readonly path: string;
}

export function createMappingSource(path: string): MappingSource {
  const cache = new Map<string, { stamp: string; mapping: Mapping }>();
  return {
    path,
    forStore(store: string): Mapping {
      let stamp: string;
      try {
        const stat = statSync(path);
        stamp = `${stat.mtimeMs}:${stat.size}:${stat.ino}`;
      } catch (error) {
        throw needsAttention({
          failureType: 'InvalidMapping',
          message: `The mapping file ${path} cannot be read: ${(error as Error).message}`,
          fix: `Provide the mapping file (MAPPING_FILE, default config/mapping.json), then send "retry".`,
        });
      }
      const cached = cache.get(store);
      if (cached?.stamp === stamp) return cached.mapping;
      try {
        const mapping = loadMappingFile(path, store);
        cache.set(store, { stamp, mapping });
        return mapping;
      } catch (error) {
        if (error instanceof MappingConfigError) {
          throw needsAttention({ failureType: 'InvalidMapping', message: error.message, fix: `Correct ${path} as the message says, then send "retry".` });
        }
        throw error;
      }
    },
  };
}
