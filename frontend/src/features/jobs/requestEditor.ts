/** What a job request editor takes (the backtest, optimization and pipeline-run forms used inside a
 * workflow step or a schedule's target): the request, its changes, and the server's messages by the
 * request's own dotted paths (`params.fast`, `space.slow`). */
export interface RequestEditorProps {
  value: Record<string, unknown>;
  onChange: (value: Record<string, unknown>) => void;
  errors: Record<string, string[]>;
}
