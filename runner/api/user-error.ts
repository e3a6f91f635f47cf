// A mistake of the user's, told as is. Its own module so code outside the API server
// (the CLI's schedule commands) can throw it without loading tRPC.

/** A mistake of the user's that the UI should show as is (not a bug of ours); `field` names the input at fault. */
export class UserError extends Error {
  field?: string;
  /** what the user can do about it */
  fix?: string;
  /** an action the UI can offer in one click: "create" a workflow where none is */
  offer?: 'create';
}
