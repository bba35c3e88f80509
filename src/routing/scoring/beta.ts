// Beta sampling for Thompson sampling (Marsaglia-Tsang gamma; Box-Muller normal), driven only by
// the uniform source passed in, so decisions replay exactly for a seed.
import type { UniformRng } from './types.ts';

function normal(rng: UniformRng): number {
  let u = rng.next();
  if (u < 1e-300) u = 1e-300;
  return Math.sqrt(-2 * Math.log(u)) * Math.cos(2 * Math.PI * rng.next());
}

export function sampleGamma(shape: number, rng: UniformRng): number {
  if (shape < 1) {
    // Boost: Gamma(a) = Gamma(a + 1) * U^(1/a).
    const u = rng.next();
    return sampleGamma(shape + 1, rng) * Math.max(u, 1e-300) ** (1 / shape);
  }
  const d = shape - 1 / 3;
  const c = 1 / Math.sqrt(9 * d);
  for (;;) {
    let x: number;
    let v: number;
    do {
      x = normal(rng);
      v = 1 + c * x;
    } while (v <= 0);
    v = v * v * v;
    const u = rng.next();
    if (u < 1 - 0.0331 * x * x * x * x) return d * v;
    if (Math.log(u) < 0.5 * x * x + d * (1 - v + Math.log(v))) return d * v;
  }
}

export function sampleBeta(alpha: number, beta: number, rng: UniformRng): number {
  const a = sampleGamma(alpha, rng);
  const b = sampleGamma(beta, rng);
  const sum = a + b;
  return sum > 0 ? a / sum : 0.5;
}
