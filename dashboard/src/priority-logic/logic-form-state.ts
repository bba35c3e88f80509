// The form's bookkeeping between a draft and the server: which server messages a change makes
// stale, and the banner a refused save shows.
import { ApiError, type ApiErrorCode } from '../api/client';
import { isFormField, locatedReason, type LogicDraft } from './model';

export interface SaveBanner {
  code: ApiErrorCode | 'NETWORK';
  message: string;
  unmapped: string[];
  fieldCount: number;
}

const SIMPLE: [keyof LogicDraft, string][] = [
  ['name', 'name'],
  ['description', 'description'],
  ['enforce', 'enforce'],
  ['rankingMode', 'ranking'],
  ['defaultGateways', 'defaultGateways'],
  ['splits', 'definition.splits'],
  ['code', 'definition.code'],
];

/** The server field paths a change makes stale. */
export function stalePrefixes(prev: LogicDraft, next: LogicDraft): string[] {
  const out = SIMPLE.filter(([k]) => prev[k] !== next[k]).map(([, p]) => p);
  if (prev.rules !== next.rules) {
    const sameShape = prev.rules.length === next.rules.length && prev.rules.every((r, i) => r.id === next.rules[i]!.id);
    if (!sameShape) out.push('definition.rules');
    else next.rules.forEach((r, i) => r !== prev.rules[i] && out.push(`definition.rules[${i}]`));
  }
  if (prev.kind !== next.kind) out.push('kind', 'definition');
  return out;
}

export function bannerOf(e: unknown, draft: LogicDraft): SaveBanner {
  if (e instanceof ApiError) {
    const unmapped = e.fields.filter((f) => !isFormField(f.field_name, draft)).map((f) => locatedReason(f.field_name, f.reason));
    const message = e.status >= 500 ? 'Something went wrong. Please try again' : e.message;
    return { code: e.code, message, unmapped, fieldCount: e.fields.length - unmapped.length };
  }
  return { code: 'NETWORK', message: 'Something went wrong. Please try again', unmapped: [], fieldCount: 0 };
}
