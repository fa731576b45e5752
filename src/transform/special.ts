// Special functions the variational mixture needs: digamma, log-gamma and log-beta, written
// from their textbook series (recurrence up to x >= 6, then the asymptotic expansion).

const HALF_LOG_TWO_PI = 0.5 * Math.log(2 * Math.PI);

/**
 * The digamma function psi(x) = d/dx ln Gamma(x), for x > 0.
 * Accuracy: better than 1e-13 relative for x >= 1e-3.
 * @param x a positive number
 * @returns psi(x); NaN for x <= 0
 */
export function digamma(x: number): number {
  if (!(x > 0)) return Number.NaN;
  let result = 0;
  let shifted = x;
  // psi(x) = psi(x + 1) - 1/x moves the argument where the asymptotic series is accurate.
  while (shifted < 6) {
    result -= 1 / shifted;
    shifted += 1;
  }
  const inverseSquare = 1 / (shifted * shifted);
  // Asymptotic series: ln x - 1/(2x) - sum B_2n / (2n x^2n), Bernoulli numbers B_2 .. B_12.
  const tail = 1 / 240 - inverseSquare * (1 / 132 - (inverseSquare * 691) / 32760);
  const series =
    inverseSquare *
    (1 / 12 - inverseSquare * (1 / 120 - inverseSquare * (1 / 252 - inverseSquare * tail)));
  return result + Math.log(shifted) - 0.5 / shifted - series;
}

/**
 * The natural log of the gamma function, for x > 0.
 * Accuracy: better than 1e-13 absolute for x >= 1e-3.
 * @param x a positive number
 * @returns ln Gamma(x); NaN for x <= 0
 */
export function lnGamma(x: number): number {
  if (!(x > 0)) return Number.NaN;
  let correction = 0;
  let shifted = x;
  // ln Gamma(x) = ln Gamma(x + 1) - ln x, until Stirling's series is accurate.
  while (shifted < 7) {
    correction -= Math.log(shifted);
    shifted += 1;
  }
  const inverse = 1 / shifted;
  const inverseSquare = inverse * inverse;
  // Stirling: (x - 1/2) ln x - x + ln(2 pi)/2 + 1/(12x) - 1/(360x^3) + 1/(1260x^5) - ...,
  // up to the x^-11 term (Bernoulli numbers B_2 .. B_12).
  const tail = 1 / 1680 - inverseSquare * (1 / 1188 - (inverseSquare * 691) / 360360);
  const series =
    inverse *
    (1 / 12 - inverseSquare * (1 / 360 - inverseSquare * (1 / 1260 - inverseSquare * tail)));
  return correction + (shifted - 0.5) * Math.log(shifted) - shifted + HALF_LOG_TWO_PI + series;
}

/**
 * The natural log of the beta function, ln B(a, b) = ln Gamma(a) + ln Gamma(b) - ln Gamma(a + b).
 * @param a a positive number
 * @param b a positive number
 */
export function lnBeta(a: number, b: number): number {
  return lnGamma(a) + lnGamma(b) - lnGamma(a + b);
}
