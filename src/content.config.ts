/**
 * Content collections: lessons (MDX) and glossary terms (YAML), kept in /content at the project root so
 * writers never need to open src/. Schemas document each field; a file that breaks one fails the build
 * with the file and field named.
 */
import { defineCollection, reference } from 'astro:content';
import { glob } from 'astro/loaders';
import { z } from 'astro/zod';
import { venuePresetSchema } from './engine/venuePresetSchema.ts';
import { protocolPresetSchema } from './engine/protocolPresetSchema.ts';

const plainText = z
  .string()
  .trim()
  .min(1)
  .refine((text) => !/[<>]/.test(text), 'must be plain text (no HTML)');

const lessons = defineCollection({
  loader: glob({ pattern: '**/*.mdx', base: './content/lessons' }),
  schema: z
    .object({
      title: plainText,
      /** One or two sentences for the home page, cards and the meta description. */
      description: plainText.max(200),
      /** Position in the reading order, 1 first. */
      order: z.number().int().positive(),
      /** Which half of the course: leverage on exchanges (perpetuals) or on-chain lending (DeFi). */
      part: z.enum(['exchanges', 'defi']).default('exchanges'),
      /** Widgets the lesson embeds, by registry id, for the gallery's "taught in" links. */
      widgets: z.array(z.string()).default([]),
      references: z
        .array(z.object({ title: plainText, publisher: plainText, url: z.url(), note: plainText.optional() }))
        .min(1, 'every lesson lists its references'),
      updated: z.coerce.date(),
    })
    .strict(),
});

const glossary = defineCollection({
  loader: glob({ pattern: '**/*.yaml', base: './content/glossary' }),
  schema: z
    .object({
      term: plainText,
      aliases: z.array(plainText).default([]),
      /** Shown in the popover where the term appears in a lesson. */
      short: plainText.max(260),
      details: z.array(plainText.max(900)).min(1).max(3),
      related: z.array(reference('glossary')).min(1).max(6),
      /** Where on the site the reader can see it move now. */
      seenIn: z.array(z.object({ label: plainText, href: z.string().startsWith('/') })).default([]),
      /** Said plainly when the widget that shows it is still to come. */
      comingLater: plainText.optional(),
      references: z.array(z.object({ title: plainText, publisher: plainText, url: z.url() })).min(1),
    })
    .strict()
    .refine((entry) => entry.seenIn.length > 0 || entry.comingLater, {
      message: 'a term with no live widget must say what is coming (comingLater)',
      path: ['comingLater'],
    }),
});

/**
 * Venues' risk brackets as published, one file per table version. The schema checks that brackets are
 * contiguous and monotone and that every maintenance amount follows the cumulative rule, so a mistyped
 * table fails the build with the file and the field named.
 */
const venues = defineCollection({
  loader: glob({ pattern: '**/*.yaml', base: './content/venues' }),
  schema: venuePresetSchema,
});

/**
 * Lending protocols' risk parameters (content/protocols/*.yaml), one file per market and source. The schema checks
 * shares, LTV ≤ LT < 1 and that the bonus can be paid at HF 1; the id must be the file's name, since
 * scripts/generate-protocol-tables.mjs and the engine look presets up by it.
 */
const protocols = defineCollection({
  loader: glob({
    pattern: '**/*.yaml',
    base: './content/protocols',
    generateId: ({ entry, data }) => {
      const fromFile = entry.replace(/\.yaml$/, '');
      if (data['id'] !== fromFile) throw new Error(`content/protocols/${entry}: id ${JSON.stringify(data['id'])} must be the file's name, '${fromFile}'`);
      return fromFile;
    },
  }),
  schema: protocolPresetSchema,
});

export const collections = { lessons, glossary, venues, protocols };
