/**
 * The shape of a venue preset in content/venues/*.yaml: a venue's dated bracket table with its source.
 * For the site's build (a content collection can use `venuePresetSchema` as its schema) and for tests; the
 * engine's arithmetic never imports it.
 *
 * Numbers are written as quoted decimal strings ('0.004', '50000'), never YAML numbers, so that no value
 * passes through a binary float on its way to the engine. Rates are fractions (0.004 is 0.4 %). Notional
 * floors and caps are in the margin currency: quote units for linear contracts (USDT), coin for inverse
 * ones (BTC, XBT).
 *
 * Refinements (reported all at once, each at the path of the field at fault): brackets contiguous (first
 * floor 0, each floor the previous cap), monotone (rates never decrease, max leverage never increases),
 * cap above floor, maintenance amounts by the cum rule (see brackets.ts), a contract size for inverse
 * contracts, and conventions that agree with the engine's venue registry (venues.ts).
 */
import * as z from 'zod';
import { bracketIssues } from './brackets.ts';
import { VENUE_IDS, venueConvention } from './venues.ts';

const DECIMAL = /^(0|[1-9]\d*)(\.\d+)?$/;
const ISO_DATE = /^\d{4}-\d{2}-\d{2}$/;

/** A non-negative plain decimal written as a string: '0.004', '50000'. */
export const decimalString = z
  .string({ error: 'write numbers as quoted decimal strings, for example \'0.004\' (a YAML number would pass through a float)' })
  .regex(DECIMAL, 'must be a plain non-negative decimal such as \'0.004\' or \'50000\' (no exponent, no sign, no thousands separators)');

/** A calendar date YYYY-MM-DD; a YAML date (which js-yaml reads as a Date) is accepted and written back. */
export const isoDate = z.preprocess(
  (value) => (value instanceof Date && !Number.isNaN(value.getTime()) ? value.toISOString().slice(0, 10) : value),
  z
    .string({ error: 'must be a date YYYY-MM-DD' })
    .regex(ISO_DATE, 'must be a date YYYY-MM-DD')
    .refine((text) => {
      const date = new Date(`${text}T00:00:00Z`);
      return !Number.isNaN(date.getTime()) && date.toISOString().slice(0, 10) === text;
    }, 'must be a real calendar date'),
);

const plainText = z.string().trim().min(1);

export const sourceSchema = z
  .object({
    url: z.url(),
    title: plainText,
    /** The date the numbers were read from this source (not the date the venue published them). */
    read: isoDate,
  })
  .strict();

export const bracketSchema = z
  .object({
    floor: decimalString,
    cap: decimalString,
    maintenanceMarginRate: decimalString,
    maintenanceAmount: decimalString,
    maxLeverage: decimalString,
  })
  .strict();

export const conventionsSchema = z
  .object({
    /** Key into the engine's venue registry (venues.ts). */
    venueId: z.enum(VENUE_IDS),
    maintenanceBasis: z.enum(['mark', 'entry', 'oracle']),
    closingFeeInBankruptcyPrice: z.boolean().nullable(),
    marginRatio: z.enum(['mm/equity', 'equity/mm']).nullable(),
  })
  .strict();

export const venuePresetSchema = z
  .object({
    id: z.string().regex(/^[a-z0-9]+(-[a-z0-9]+)*$/, 'must be lower-case words joined by hyphens'),
    venue: plainText,
    symbol: plainText,
    contract: z.enum(['linear', 'inverse']),
    /** Margin and notional currency: USDT for linear, the coin for inverse. */
    marginCurrency: plainText,
    /** Inverse: quote units (USD) per contract. Linear: base units per contract, when not 1. */
    contractSize: decimalString.optional(),
    /** When the table took effect at the venue, if the source says. */
    effective: isoDate.optional(),
    source: sourceSchema,
    /** Further sources that confirm or complete the table (each with its own read date). */
    additionalSources: z.array(sourceSchema).optional(),
    /** What was found and what was derived; required reading when it is there. */
    note: plainText.optional(),
    conventions: conventionsSchema,
    brackets: z.array(bracketSchema).min(1, 'list at least one bracket'),
  })
  .strict()
  .superRefine((preset, ctx) => {
    for (const issue of bracketIssues(preset.brackets)) {
      ctx.addIssue({
        code: 'custom',
        message: issue.message,
        path: issue.index === null ? ['brackets'] : ['brackets', issue.index, issue.field],
      });
    }
    if (preset.contract === 'inverse' && preset.contractSize === undefined) {
      ctx.addIssue({
        code: 'custom',
        message: 'an inverse contract needs its contract size (quote units per contract, e.g. \'100\')',
        path: ['contractSize'],
      });
    }
    const convention = venueConvention(preset.conventions.venueId);
    if (convention.contract !== preset.contract) {
      ctx.addIssue({
        code: 'custom',
        message: `${preset.conventions.venueId} describes ${convention.contract} contracts, but this preset is ${preset.contract}`,
        path: ['conventions', 'venueId'],
      });
    }
    const expected = {
      maintenanceBasis: convention.maintenanceBasis.value,
      closingFeeInBankruptcyPrice: convention.closingFeeInBankruptcyPrice.value.folded,
      marginRatio: convention.marginRatio.value,
    } as const;
    for (const key of Object.keys(expected) as (keyof typeof expected)[]) {
      if (preset.conventions[key] !== expected[key]) {
        ctx.addIssue({
          code: 'custom',
          message: `must agree with the engine's registry for ${preset.conventions.venueId}: ${JSON.stringify(expected[key])} (see src/engine/venues.ts for its source)`,
          path: ['conventions', key],
        });
      }
    }
  });

export type VenuePreset = z.infer<typeof venuePresetSchema>;
