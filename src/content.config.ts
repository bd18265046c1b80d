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
import { widgetMetas, type WidgetId } from './widgets/meta.ts';

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

/**
 * Scenario presets (content/scenarios/*.yaml): named, versioned starting states for one widget, linkable
 * as `?preset=<file name>`. The schema checks the shape; src/widgets/scenarios.test.ts parses every preset
 * with its widget's own parameter rules (no value may need correcting) and holds each version's values
 * fixed in scenarios.lock.json, so a link made today opens the same state until the version is raised.
 */
const scenarios = defineCollection({
  loader: glob({ pattern: '**/*.yaml', base: './content/scenarios' }),
  schema: z
    .object({
      widget: z.enum(widgetMetas.map((w) => w.id) as [WidgetId, ...WidgetId[]]),
      title: plainText.max(60),
      summary: plainText.max(240),
      /** Raise it (and re-lock) whenever params change. */
      version: z.number().int().positive(),
      /** Position in the widget's picker, 1 first. */
      order: z.number().int().positive(),
      /** Parameter values as a link would carry them; numbers are read as their decimal text. */
      params: z.record(z.string().regex(/^[a-z][a-zA-Z0-9]*$/), z.union([z.string(), z.number()]).transform(String)),
    })
    .strict(),
});

/**
 * Teacher guides (content/guides/<widget id>.mdx), one per widget: learning goals in front matter, the
 * 10-minute activity and predict-then-reveal questions in the body (answers computed by the engine at build
 * time, src/lib/guides/). The page around it (src/pages/widgets/[id]/guide.astro) adds the presets and the
 * parameter tables, generated from the widget's own lists.
 */
const guides = defineCollection({
  loader: glob({
    pattern: '**/*.mdx',
    base: './content/guides',
    generateId: ({ entry }) => entry.replace(/\.mdx$/, ''),
  }),
  schema: z
    .object({
      widget: z.enum(widgetMetas.map((w) => w.id) as [WidgetId, ...WidgetId[]]),
      /** One or two sentences for the gallery and the meta description. */
      description: plainText.max(220),
      /** What a student can do after the activity, each starting with a verb. */
      goals: z.array(plainText.max(220)).min(2).max(5),
      /** Class time the activity needs, in minutes. */
      minutes: z.number().int().min(5).max(20).default(10),
      /** What students should have met before (lessons or ideas). */
      prerequisites: plainText.max(300),
      references: z
        .array(z.object({ title: plainText, publisher: plainText, url: z.url(), note: plainText.optional() }))
        .min(1, 'every guide lists its references'),
      updated: z.coerce.date(),
    })
    .strict(),
});

export const collections = { lessons, glossary, venues, protocols, scenarios, guides };
