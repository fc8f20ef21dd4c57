import type { UploadedFile } from './request-body.js';

export interface RouteContext {
  params: Record<string, string>;
  query: URLSearchParams;
  json: unknown;
  files: UploadedFile[];
  /** When the request reached the fake (performance.now()), before its body was read and checked. */
  receivedAt: number;
}

export interface Reply {
  status: number;
  body?: unknown;
  /** A semantic problem to record as a violation (besides the schema check). */
  violation?: string[];
}

export interface RouteDefinition {
  method: string;
  /** The OpenAPI path template: names the schema and the violation's `route`. */
  template: string;
  pattern: RegExp;
  /** 'bot': requires `Authorization: Bot <token>`; webhook routes authenticate by their token. */
  auth: 'bot' | 'none';
  /** The rate-limit bucket's major parameter; null exempts the route. */
  majorParameter(params: Record<string, string>): string | null;
  /** Where the message payload sits in the body, for the embed/content limits. */
  messageIn?(body: unknown): { message: unknown; basePath: string } | undefined;
  handle(ctx: RouteContext): Reply | Promise<Reply>;
}

export const discordError = (status: number, code: number, message: string): Reply => ({
  status,
  body: { message, code },
});

export function route(
  method: string,
  template: string,
  auth: RouteDefinition['auth'],
  rest: Omit<RouteDefinition, 'method' | 'template' | 'pattern' | 'auth'>,
): RouteDefinition {
  const source = template.replace(/\{(\w+)\}/g, '(?<$1>[^/]+)');
  return { method, template, auth, pattern: new RegExp(`^/v10${source}$`), ...rest };
}
