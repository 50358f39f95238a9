import { UserError } from '../domain/errors';
import type { Lang } from './catalogue';

/**
 * A `UserError` written from the message catalogue: its message is English, and whoever tells the person (see
 * `explainFailure`) asks for it again in the person's language. For failures found before that language is known,
 * e.g. a button's data that fails validation.
 */
export class LocalizedUserError extends UserError {
  constructor(
    code: string,
    private readonly say: (lang: Lang) => string,
    detail?: Record<string, unknown>,
  ) {
    super(code, say('en'), detail);
    this.name = 'LocalizedUserError';
  }

  /** The message in `lang`. */
  messageIn(lang: Lang): string {
    return this.say(lang);
  }
}
