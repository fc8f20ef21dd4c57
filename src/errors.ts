/**
 * An error whose message is written for the person who ran the command.
 * The interaction error funnel shows it as-is (ephemeral); anything else is
 * logged with an id and answered generically.
 */
export class UserError extends Error {
  override readonly name = 'UserError';
  constructor(
    message: string,
    /** Optional short title for the reply embed. */
    readonly title?: string,
  ) {
    super(message);
  }
}
