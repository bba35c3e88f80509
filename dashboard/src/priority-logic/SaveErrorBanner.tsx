// The error banner of a refused save: "Error! Try Syncing again" with Sync after a conflict, the
// fields in error (each a link that focuses it), or the server's message; and the server's
// messages about fields the form does not show.
import type { MutableRefObject } from 'react';
import type { SaveBanner } from './logic-form-state';
import type { InvalidField } from './use-invalid-fields';

interface SaveErrorBannerProps {
  banner: SaveBanner;
  invalid: readonly InvalidField[];
  invalidEls: MutableRefObject<HTMLElement[]>;
  onSync?: () => Promise<void> | void;
  onSynced: () => void;
}

export function SaveErrorBanner({ banner, invalid, invalidEls, onSync, onSynced }: SaveErrorBannerProps) {
  return (
    <div className="alert alert-error" role="alert" data-testid="form-error">
      {banner.code === 'SYNC_CONFLICT' ? (
        <div className="row">
          <span>Error! Try Syncing again</span>
          {onSync ? (
            <button
              type="button"
              className="btn btn-small"
              onClick={async () => {
                await onSync();
                onSynced();
              }}
            >
              Sync
            </button>
          ) : null}
        </div>
      ) : banner.fieldCount > 0 ? (
        <div>
          The Priority Logic was not saved. Please correct {invalid.length === 1 ? 'this field' : `these ${invalid.length} problems`}:
          <ul className="form-banner-fields">
            {invalid.map((f, i) => (
              // biome-ignore lint/suspicious/noArrayIndexKey: a read-only list, rendered whole each time and never reordered in place, so the position is a stable key
              <li key={`${f.label}-${f.message}-${i}`}>
                {/* biome-ignore lint/a11y/useValidAnchor: an error summary's entries are links to their fields (the GOV.UK pattern); the handler focuses the field, which has no stable id */}
                <a
                  href="#"
                  onClick={(e) => {
                    e.preventDefault();
                    invalidEls.current[i]?.focus();
                  }}
                >
                  {f.label}
                </a>
                : {f.message}
              </li>
            ))}
          </ul>
        </div>
      ) : (
        <span>{banner.message}</span>
      )}
      {banner.unmapped.length ? (
        <ul>
          {banner.unmapped.map((u) => (
            <li key={u}>{u}</li>
          ))}
        </ul>
      ) : null}
    </div>
  );
}
