// Makes every observed value reachable by a mixture component, so round trips are exact:
// alpha = (x - mean) / (4 std) is clipped to +-0.99, so a value over 3.96 std from every kept
// component would come back wrong (see ensureCoverage and docs/transform.md).
import { binSortedValues } from './binned-sample.ts';
import { fitMixture, type MixtureOptions } from './bgm.ts';

/** Largest |alpha| a value is encoded with: the paper's clip of (x - mean) / (4 std). */
export const ALPHA_LIMIT = 0.99;
/** Stds from a component's mean that a value can be reached at: 4 x ALPHA_LIMIT. */
export const REACH = 4 * ALPHA_LIMIT;

/** A mixture component as the column model keeps it. */
export interface ModeComponent {
  weight: number;
  mean: number;
  std: number;
  /** True when the component was added to reach values the fitted ones could not. */
  coverage: boolean;
}

/** What ensureCoverage changed. */
export interface CoverageReport {
  /** Rows that no fitted component could reach. */
  uncoveredRows: number;
  /** Coverage components added. */
  added: number;
  /** Components widened as a last resort. */
  widened: number;
}

const MAX_ROUNDS = 3;
/** Most components one coverage round may add. */
const MAX_COMPONENTS_PER_ROUND = 3;

/**
 * Adds or widens components until every given value is within REACH stds of one of them.
 * Without it, such values come back clipped (what the Python CTGAN does to outliers whose own
 * component was dropped for its small weight). One pass over the column finds the values no
 * component reaches; a small mixture fitted on them adds "coverage" components (up to three
 * rounds); a value still out of reach then widens its nearest component just enough.
 * Weights are renormalized over all components afterwards (a coverage component weighs its
 * share of the rows).
 * @param components fitted components (changed in place and extended)
 * @param values one number per row
 * @param include which rows the mixture must reach (present and not a point mass)
 * @param includedRows how many rows `include` admits
 * @param options mixture options for the coverage fits
 * @returns what was changed
 */
export function ensureCoverage(
  components: ModeComponent[],
  values: Float64Array,
  include: (row: number) => boolean,
  includedRows: number,
  options: MixtureOptions,
): CoverageReport {
  let uncovered: number[] = [];
  for (let row = 0; row < values.length; row++) {
    if (include(row) && !isReachable(components, values[row]!)) uncovered.push(values[row]!);
  }
  const report: CoverageReport = { uncoveredRows: uncovered.length, added: 0, widened: 0 };
  if (uncovered.length === 0) return report;

  for (let round = 0; round < MAX_ROUNDS && uncovered.length > 0; round++) {
    const sorted = Float64Array.from(uncovered).sort();
    const fit = fitMixture(binSortedValues(sorted, 256), {
      ...options,
      maxComponents: Math.min(options.maxComponents, MAX_COMPONENTS_PER_ROUND),
      minWeight: 0,
    });
    const share = uncovered.length / Math.max(includedRows, 1);
    for (const component of fit.components) {
      components.push({ ...component, weight: component.weight * share, coverage: true });
      report.added++;
    }
    uncovered = uncovered.filter((value) => !isReachable(components, value));
  }

  // Last resort: widen the nearest component (in stds) just enough to reach the value.
  for (const value of uncovered) {
    let nearest = components[0]!;
    for (const component of components) {
      const distance = Math.abs(value - component.mean) / component.std;
      if (distance < Math.abs(value - nearest.mean) / nearest.std) nearest = component;
    }
    nearest.std = (Math.abs(value - nearest.mean) / REACH) * (1 + 1e-9);
    report.widened++;
  }

  let total = 0;
  for (const component of components) total += component.weight;
  for (const component of components) component.weight /= total;
  components.sort((left, right) => left.mean - right.mean);
  return report;
}

/** Whether some component reaches `value` with |alpha| <= ALPHA_LIMIT. */
export function isReachable(components: readonly ModeComponent[], value: number): boolean {
  for (const component of components) {
    if (Math.abs(value - component.mean) <= REACH * component.std) return true;
  }
  return false;
}
