import type { HastPluginDefinition } from 'satteri';

export function basePrefix(base: string | undefined | null): string;
export function withBase<T>(prefix: string, href: T): T;
export function wrapExpression(prefix: string, expression: string): string;
export function rehypeBaseLinks(base: string | undefined | null): HastPluginDefinition;
