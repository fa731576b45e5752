// Which settings a resumed run may change. Those that would change the model or the data it
// sees are locked to the run's saved values; epochs, learning rates, the generator's weight
// average, logging, checkpointing and the backend may change.
import type { PartialConfig } from '../config/load.ts';
import { DEFAULT_CONFIG } from '../config/defaults.ts';
import type { RunConfig } from '../config/schema.ts';
import { ConfigError } from '../util/errors.ts';

/** Keys a resume may change, as 'section.key'; whole sections end in '.*'. */
const CHANGEABLE = new Set([
  'data.path',
  'data.metadata',
  'training.epochs',
  'training.generatorLr',
  'training.discriminatorLr',
  'training.generatorAverageDecay',
  'training.backend',
  'training.logEverySeconds',
  'training.checkpointEvery',
  'training.checkpointMinutes',
  'training.keepCheckpoints',
  'sampling.*',
  'evaluation.*',
  'output.*',
]);

/**
 * Applies the changeable keys of `requested` to the saved config of a run.
 * @param saved the config saved in the run
 * @param requested keys given on resume (config file and flags), already validated
 * @returns the config to continue with
 * @throws ConfigError naming every locked key whose requested value differs, with both values
 */
export function applyResumeChanges(saved: RunConfig, requested: PartialConfig): RunConfig {
  const merged = structuredClone(saved) as unknown as Record<string, Record<string, unknown>>;
  // Runs saved before tabsynth averaged the generator's weights continue without averaging.
  merged['training']!['generatorAverageDecay'] ??= 0;
  // Runs saved before point masses had a limit fill it in with today's default. It only
  // completes the config: a resumed run keeps its fitted transformer and never refits it.
  merged['transform']!['maxPointMasses'] ??= DEFAULT_CONFIG.transform.maxPointMasses;
  // Runs saved before numeric modes could be conditions were fitted without them.
  merged['transform']!['conditionOnModes'] ??= false;
  const refused: string[] = [];
  for (const [section, values] of Object.entries(requested)) {
    for (const [key, value] of Object.entries(values ?? {})) {
      const keyPath = `${section}.${key}`;
      const current = merged[section]![key];
      if (CHANGEABLE.has(keyPath) || CHANGEABLE.has(`${section}.*`)) {
        merged[section]![key] = value;
      } else if (JSON.stringify(current) !== JSON.stringify(value)) {
        refused.push(
          `${keyPath}: the run has ${JSON.stringify(current)}, requested ${JSON.stringify(value)}`,
        );
      }
    }
  }
  if (refused.length > 0) {
    throw new ConfigError(
      `These settings would change the model and cannot change on resume:\n  ` +
        `${refused.join('\n  ')}\n` +
        "Resume with the run's own values (drop them from the config), or start a new run " +
        'with --out NEW_DIR. On resume you may change epochs, learning rates, the weight ' +
        'average, logging, checkpoint settings and the backend.',
    );
  }
  return merged as unknown as RunConfig;
}
