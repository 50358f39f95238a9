/**
 * An error meant for the person: its message is shown as-is. Anything else is logged once at the boundary
 * and the person gets a short apology with a reference id.
 */
export class UserError extends Error {
  constructor(
    /** A stable machine-readable code (`unknown_table`, `conflict`, `forbidden`, `bad_catalog`, ...). */
    readonly code: string,
    message: string,
    /** Extra structured detail (suggestions, the path inside a file, ...). */
    readonly detail?: Record<string, unknown>,
  ) {
    super(message);
    this.name = 'UserError';
  }
}

/** A backend (Neo4j, Elasticsearch, Redis, a source database) could not be reached or refused to work. */
export class BackendUnavailableError extends Error {
  constructor(
    readonly backend: string,
    readonly target: string,
    cause: unknown,
  ) {
    super(`${backend} at ${target} is unavailable: ${cause instanceof Error ? cause.message : String(cause)}`, { cause });
    this.name = 'BackendUnavailableError';
  }
}

/** Two people edited the same field at once: the second must look again, never silently overwrite. */
export class EditConflictError extends UserError {
  constructor(tableKey: string, expected: number, actual: number) {
    super('conflict', `Someone else edited ${tableKey} while you were editing (version ${actual}, you saw ${expected}). Please reopen it and try again.`, {
      tableKey,
      expected,
      actual,
    });
  }
}
