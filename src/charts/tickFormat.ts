/**
 * Tick label formats for chart axes, matching d3-format's trimmed specifiers that the widgets use:
 * `si(n)` is d3's ".n~s" (n significant digits and an SI prefix: 59.9k, 1.2M), `general(n)` is ".n~g",
 * `fixed(n)` is ".n~f". Like d3 they write negatives with a true minus sign (U+2212) and drop the sign of
 * a value that rounds to zero. Written out here because d3-format's locale machinery weighs about 2 KB
 * gzipped in every page with a chart, for four specifiers; the tests hold these to d3-format's output.
 */
const PREFIXES = ['y', 'z', 'a', 'f', 'p', 'n', 'µ', 'm', '', 'k', 'M', 'G', 'T', 'P', 'E', 'Z', 'Y'];
const MINUS = '\u2212';

/** Drops insignificant trailing zeros after a decimal point (before any exponent): 1.500 → 1.5, 2.0e+5 → 2e+5. */
function trim(text: string): string {
  return text.replace(/\.(\d*?)0+(?=$|e)/, (_, kept: string) => (kept ? `.${kept}` : ''));
}

function signed(value: number, body: string): string {
  return value < 0 && /[1-9]/.test(body) ? MINUS + body : body;
}

/** d3's ".n~s": n significant digits, the SI prefix of the value's thousands group. */
export function si(digits: number): (value: number) => string {
  return (value) => {
    if (!Number.isFinite(value)) return String(value);
    if (value === 0) return '0';
    const [mantissa = '0', exponentText = '0'] = Math.abs(value).toExponential(digits - 1).split('e');
    const exponent = Number(exponentText);
    const group = Math.max(-8, Math.min(8, Math.floor(exponent / 3)));
    const figures = mantissa.replace('.', '');
    const whole = exponent - group * 3 + 1;
    const body =
      whole >= figures.length
        ? figures + '0'.repeat(whole - figures.length)
        : whole > 0
          ? `${figures.slice(0, whole)}.${figures.slice(whole)}`
          : `0.${'0'.repeat(-whole)}${figures}`;
    return signed(value, trim(body) + PREFIXES[group + 8]);
  };
}

/** d3's ".n~g" (n defaults to 6, as d3's "~g"). */
export function general(digits = 6): (value: number) => string {
  return (value) => (Number.isFinite(value) ? signed(value, trim(Math.abs(value).toPrecision(digits))) : String(value));
}

/** d3's ".n~f". */
export function fixed(decimals: number): (value: number) => string {
  return (value) => (Number.isFinite(value) ? signed(value, trim(Math.abs(value).toFixed(decimals))) : String(value));
}
