import type { UserRef } from '../../answering/types';

/**
 * What an answer says, in the question's language, independent of where it is shown: a headline, a list of
 * items, notes and small print. Slack and the terminal lay it out with their own `Style` (mrkdwn or plain text).
 */

/** How a renderer marks text up. Every string from the catalog goes through `escape` (or a method that escapes). */
export interface Style {
  bold(text: string): string;
  code(text: string): string;
  italic(text: string): string;
  link(url: string, label: string): string;
  escape(text: string): string;
  /** A person: a Slack mention when the id is known, else their name. */
  user(id: string, ref: UserRef | undefined): string;
}

export interface Item {
  text: string;
  /** A secondary line (why it matched, when it was updated). */
  note?: string;
}

export interface Composition {
  title: string;
  /** Text between the title and the items (a table card's description and facts). */
  intro: string[];
  items: Item[];
  notes: string[];
  /** Small print: how the table was understood, corrections. */
  footer: string[];
}

export interface ComposeOptions {
  /** Most items listed (results, columns, tables); the rest are counted. Default 10. */
  maxItems?: number;
  /** Most characters of a description. Default 240. */
  maxDescription?: number;
}
