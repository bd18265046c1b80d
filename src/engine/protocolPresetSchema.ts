/**
 * The shape of a lending protocol preset in content/protocols/*.yaml: one market's published risk parameters per
 * asset, the protocol-wide close factor rule, and the source they were read from. The site's build uses it as the
 * `protocols` content collection's schema, so a mistyped preset fails the build with the file and the field named;
 * scripts/generate-protocol-tables.mjs turns the same files into the table the engine reads.
 *
 * Rates are shares written as quoted decimal strings ('0.86', not 86 or 8600 basis points, and never a YAML number,
 * which would pass through a binary float). The bonus is the share above 1: Aave's 10500 bps is '0.05'.
 *
 * Refinements, each reported at the path of the field at fault:
 *  - ltv ≤ liquidationThreshold < 1 (Aave's PoolConfigurator: otherwise a fresh maximal borrow is liquidatable);
 *  - liquidationThreshold × (1 + liquidationBonus) ≤ 1 (PoolConfigurator again: at HF = 1 the collateral must still
 *    pay the debt plus the bonus, or the first liquidation could not be paid in full);
 *  - each asset listed once; closeFactor.default ≤ closeFactor.max; the HF threshold in (0, 1].
 */
import * as z from 'zod';
import { Decimal } from './decimal.ts';
import { decimalString, sourceSchema } from './venuePresetSchema.ts';

/** A share in [0, 1] as a quoted decimal string. */
export const shareString = decimalString.refine(
  (text) => new Decimal(text).lte(1),
  'must be a share between 0 and 1 (0.86 for 86 %, not 86 or 8600 basis points)',
);

const plainText = z.string().trim().min(1);

export const protocolAssetSchema = z
  .object({
    asset: plainText,
    /** Loan to value: the share of the asset's value that can be borrowed against. */
    ltv: shareString,
    /** The share of the asset's value that counts in the health factor. */
    liquidationThreshold: shareString,
    /** The bonus share above the repaid value: 0.05 for 10500 bps. */
    liquidationBonus: shareString,
    /** The protocol's share of the bonus part of seized collateral; absent where the source does not publish it. */
    liquidationProtocolFee: shareString.optional(),
  })
  .strict();

export const closeFactorSchema = z
  .object({
    default: shareString,
    max: shareString,
    healthFactorThreshold: decimalString,
  })
  .strict();

export const protocolPresetSchema = z
  .object({
    /** The file's name without .yaml. */
    id: z.string().regex(/^[a-z0-9]+(-[a-z0-9]+)*$/, 'must be lower-case words joined by hyphens'),
    protocol: plainText,
    market: plainText,
    source: sourceSchema,
    closeFactor: closeFactorSchema,
    /** What was found, what was converted (basis points to shares) and what was left out. */
    note: plainText.optional(),
    assets: z.array(protocolAssetSchema).min(1, 'list at least one asset'),
  })
  .strict()
  .superRefine((preset, ctx) => {
    const seen = new Set<string>();
    preset.assets.forEach((a, i) => {
      if (seen.has(a.asset)) ctx.addIssue({ code: 'custom', message: `lists '${a.asset}' a second time`, path: ['assets', i, 'asset'] });
      seen.add(a.asset);
      const lt = new Decimal(a.liquidationThreshold);
      if (new Decimal(a.ltv).gt(lt)) {
        ctx.addIssue({ code: 'custom', message: `${a.asset}: ltv ${a.ltv} must not exceed the liquidation threshold ${a.liquidationThreshold}`, path: ['assets', i, 'ltv'] });
      }
      // Above 1 the share check has already spoken; 1 itself is a share but not a usable threshold.
      if (lt.gt(1)) return;
      if (lt.eq(1)) {
        ctx.addIssue({ code: 'custom', message: `${a.asset}: the liquidation threshold must be below 1, got ${a.liquidationThreshold}`, path: ['assets', i, 'liquidationThreshold'] });
      } else if (lt.mul(new Decimal(1).add(a.liquidationBonus)).gt(1)) {
        ctx.addIssue({
          code: 'custom',
          message: `${a.asset}: liquidation threshold × (1 + bonus) = ${lt.mul(new Decimal(1).add(a.liquidationBonus)).toString()} must be at most 1, or collateral at HF 1 cannot pay the bonus`,
          path: ['assets', i, 'liquidationBonus'],
        });
      }
    });
    if (new Decimal(preset.closeFactor.default).gt(preset.closeFactor.max)) {
      ctx.addIssue({ code: 'custom', message: `default ${preset.closeFactor.default} must not exceed max ${preset.closeFactor.max}`, path: ['closeFactor', 'default'] });
    }
    const threshold = new Decimal(preset.closeFactor.healthFactorThreshold);
    if (threshold.lte(0) || threshold.gt(1)) {
      ctx.addIssue({ code: 'custom', message: `must be a health factor in (0, 1], got ${preset.closeFactor.healthFactorThreshold}`, path: ['closeFactor', 'healthFactorThreshold'] });
    }
  });

export type ProtocolPreset = z.infer<typeof protocolPresetSchema>;
