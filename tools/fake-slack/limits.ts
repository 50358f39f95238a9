/**
 * Slack's documented Block Kit limits, checked the way Slack checks them: a message or view that breaks one is
 * refused with Slack's error shape, so code that would fail in a real workspace fails in tests too.
 */

export const LIMITS = {
  messageBlocks: 50,
  viewBlocks: 100,
  sectionText: 3000,
  sectionFields: 10,
  fieldText: 2000,
  headerText: 150,
  contextElements: 10,
  actionsElements: 25,
  buttonText: 75,
  buttonValue: 2000,
  actionId: 255,
  blockId: 255,
  viewTitle: 24,
  viewButton: 24,
  privateMetadata: 3000,
  callbackId: 255,
  inputLabel: 2000,
  plainTextInputMax: 3000,
  staticSelectOptions: 100,
  optionText: 75,
  overflowOptionsMin: 2,
  overflowOptionsMax: 5,
  optionValue: 150,
  /** Options of a checkboxes or radio_buttons element. */
  choiceOptions: 10,
  viewBytes: 250 * 1024,
  messageText: 40000,
} as const;

type Json = Record<string, unknown>;

function textOf(obj: unknown): string | undefined {
  if (obj && typeof obj === 'object' && typeof (obj as Json).text === 'string') return (obj as Json).text as string;
  return undefined;
}

/** Returns the problems of a list of blocks (empty when valid), as Slack words them with a json-pointer. */
export function blockProblems(blocks: unknown, maxBlocks: number, pointer: string): string[] {
  const problems: string[] = [];
  if (!Array.isArray(blocks)) return [`must be an array [json-pointer:${pointer}]`];
  if (blocks.length > maxBlocks) problems.push(`must be less than ${maxBlocks + 1} items [json-pointer:${pointer}]`);
  const blockIds = new Set<string>();
  /** Action ids must be unique within their containing block (Slack's rule); reset per block. */
  let actionIds = new Set<string>();
  const checkAction = (element: Json, at: string): void => {
    const id = element.action_id;
    if (typeof id === 'string') {
      if (id.length > LIMITS.actionId) problems.push(`must be less than ${LIMITS.actionId + 1} characters [json-pointer:${at}/action_id]`);
      if (actionIds.has(id)) problems.push(`action_id must be unique within its block: ${id} [json-pointer:${at}/action_id]`);
      actionIds.add(id);
    }
    if (element.type === 'button') {
      const t = textOf(element.text) ?? '';
      if (t.length > LIMITS.buttonText) problems.push(`must be less than ${LIMITS.buttonText + 1} characters [json-pointer:${at}/text/text]`);
      if (typeof element.value === 'string' && element.value.length > LIMITS.buttonValue) problems.push(`must be less than ${LIMITS.buttonValue + 1} characters [json-pointer:${at}/value]`);
    }
    if (element.type === 'static_select' || element.type === 'multi_static_select') {
      const options = Array.isArray(element.options) ? element.options : [];
      if (options.length > LIMITS.staticSelectOptions) problems.push(`must be less than ${LIMITS.staticSelectOptions + 1} items [json-pointer:${at}/options]`);
    }
    if (element.type === 'overflow') {
      const options = Array.isArray(element.options) ? (element.options as Json[]) : [];
      if (options.length < LIMITS.overflowOptionsMin || options.length > LIMITS.overflowOptionsMax) problems.push(`must have ${LIMITS.overflowOptionsMin} to ${LIMITS.overflowOptionsMax} items [json-pointer:${at}/options]`);
      options.forEach((o, j) => {
        if ((textOf(o.text) ?? '').length > LIMITS.optionText) problems.push(`must be less than ${LIMITS.optionText + 1} characters [json-pointer:${at}/options/${j}/text/text]`);
        if (typeof o.value === 'string' && o.value.length > LIMITS.optionValue) problems.push(`must be less than ${LIMITS.optionValue + 1} characters [json-pointer:${at}/options/${j}/value]`);
      });
    }
    if (element.type === 'checkboxes' || element.type === 'radio_buttons') {
      const options = Array.isArray(element.options) ? (element.options as Json[]) : [];
      if (options.length < 1 || options.length > LIMITS.choiceOptions) problems.push(`must have 1 to ${LIMITS.choiceOptions} items [json-pointer:${at}/options]`);
      options.forEach((o, j) => {
        if ((textOf(o.text) ?? '').length > LIMITS.optionText) problems.push(`must be less than ${LIMITS.optionText + 1} characters [json-pointer:${at}/options/${j}/text/text]`);
        if (typeof o.value !== 'string' || o.value.length > LIMITS.optionValue) problems.push(`must be a string of at most ${LIMITS.optionValue} characters [json-pointer:${at}/options/${j}/value]`);
      });
      const values = new Set(options.map((o) => o.value));
      const initial = element.type === 'checkboxes' ? (Array.isArray(element.initial_options) ? (element.initial_options as Json[]) : []) : element.initial_option ? [element.initial_option as Json] : [];
      initial.forEach((o, j) => {
        if (!values.has(o.value)) problems.push(`must match one of the options [json-pointer:${at}/${element.type === 'checkboxes' ? `initial_options/${j}` : 'initial_option'}]`);
      });
    }
    if (element.type === 'multi_users_select') {
      const max = element.max_selected_items;
      if (max !== undefined && (typeof max !== 'number' || !Number.isInteger(max) || max < 1)) problems.push(`must be at least 1 [json-pointer:${at}/max_selected_items]`);
      const initial = element.initial_users;
      if (initial !== undefined) {
        if (!Array.isArray(initial) || initial.some((u) => typeof u !== 'string' || !/^[UW][A-Z0-9]+$/.test(u))) problems.push(`must be an array of user ids [json-pointer:${at}/initial_users]`);
        else if (typeof max === 'number' && initial.length > max) problems.push(`must have at most max_selected_items items [json-pointer:${at}/initial_users]`);
      }
    }
    if (element.type === 'plain_text_input') {
      const max = typeof element.max_length === 'number' ? element.max_length : LIMITS.plainTextInputMax;
      if (max > LIMITS.plainTextInputMax) problems.push(`must be at most ${LIMITS.plainTextInputMax} [json-pointer:${at}/max_length]`);
      if (typeof element.initial_value === 'string' && element.initial_value.length > max) problems.push(`initial_value longer than max_length [json-pointer:${at}/initial_value]`);
    }
  };
  blocks.forEach((raw, i) => {
    const at = `${pointer}/${i}`;
    if (!raw || typeof raw !== 'object') {
      problems.push(`must be an object [json-pointer:${at}]`);
      return;
    }
    const block = raw as Json;
    actionIds = new Set<string>();
    if (typeof block.block_id === 'string') {
      if (block.block_id.length > LIMITS.blockId) problems.push(`must be less than ${LIMITS.blockId + 1} characters [json-pointer:${at}/block_id]`);
      if (blockIds.has(block.block_id)) problems.push(`block_id must be unique: ${block.block_id} [json-pointer:${at}/block_id]`);
      blockIds.add(block.block_id);
    }
    switch (block.type) {
      case 'section': {
        const text = textOf(block.text);
        if (text !== undefined && text.length > LIMITS.sectionText) problems.push(`must be less than ${LIMITS.sectionText + 1} characters [json-pointer:${at}/text/text]`);
        if (text !== undefined && text.length === 0) problems.push(`must be more than 0 characters [json-pointer:${at}/text/text]`);
        const fields = block.fields;
        if (Array.isArray(fields)) {
          if (fields.length > LIMITS.sectionFields) problems.push(`must be less than ${LIMITS.sectionFields + 1} items [json-pointer:${at}/fields]`);
          fields.forEach((f, j) => {
            const ft = textOf(f) ?? '';
            if (ft.length > LIMITS.fieldText) problems.push(`must be less than ${LIMITS.fieldText + 1} characters [json-pointer:${at}/fields/${j}/text]`);
          });
        }
        if (text === undefined && !Array.isArray(fields)) problems.push(`must provide text or fields [json-pointer:${at}]`);
        if (block.accessory && typeof block.accessory === 'object') checkAction(block.accessory as Json, `${at}/accessory`);
        break;
      }
      case 'header': {
        const text = textOf(block.text) ?? '';
        if (text.length > LIMITS.headerText) problems.push(`must be less than ${LIMITS.headerText + 1} characters [json-pointer:${at}/text/text]`);
        break;
      }
      case 'context': {
        const elements = Array.isArray(block.elements) ? block.elements : [];
        if (elements.length === 0) problems.push(`must provide elements [json-pointer:${at}/elements]`);
        if (elements.length > LIMITS.contextElements) problems.push(`must be less than ${LIMITS.contextElements + 1} items [json-pointer:${at}/elements]`);
        elements.forEach((e, j) => {
          const t = textOf(e);
          if (t !== undefined && t.length > LIMITS.sectionText) problems.push(`must be less than ${LIMITS.sectionText + 1} characters [json-pointer:${at}/elements/${j}/text]`);
        });
        break;
      }
      case 'actions': {
        const elements = Array.isArray(block.elements) ? block.elements : [];
        if (elements.length === 0) problems.push(`must provide elements [json-pointer:${at}/elements]`);
        if (elements.length > LIMITS.actionsElements) problems.push(`must be less than ${LIMITS.actionsElements + 1} items [json-pointer:${at}/elements]`);
        elements.forEach((e, j) => checkAction(e as Json, `${at}/elements/${j}`));
        break;
      }
      case 'input': {
        const label = textOf(block.label) ?? '';
        if (label.length > LIMITS.inputLabel) problems.push(`must be less than ${LIMITS.inputLabel + 1} characters [json-pointer:${at}/label/text]`);
        if (block.element && typeof block.element === 'object') checkAction(block.element as Json, `${at}/element`);
        else problems.push(`must provide an element [json-pointer:${at}/element]`);
        break;
      }
      case 'divider':
      case 'image':
      case 'rich_text':
      case 'markdown':
        break;
      default:
        problems.push(`unsupported block type "${String(block.type)}" [json-pointer:${at}/type]`);
    }
  });
  return problems;
}

/** Problems of a view (modal or home tab), plus whether it is too large. */
export function viewProblems(view: unknown): { problems: string[]; tooLarge: boolean } {
  if (!view || typeof view !== 'object') return { problems: ['must be an object [json-pointer:/view]'], tooLarge: false };
  const v = view as Json;
  const tooLarge = Buffer.byteLength(JSON.stringify(v)) > LIMITS.viewBytes;
  const problems: string[] = [];
  if (v.type !== 'modal' && v.type !== 'home') problems.push('must be modal or home [json-pointer:/view/type]');
  if (v.type === 'modal') {
    const title = textOf(v.title);
    if (!title) problems.push('must provide a title [json-pointer:/view/title]');
    else if (title.length > LIMITS.viewTitle) problems.push(`must be less than ${LIMITS.viewTitle + 1} characters [json-pointer:/view/title/text]`);
    for (const k of ['submit', 'close'] as const) {
      const t = textOf(v[k]);
      if (t !== undefined && t.length > LIMITS.viewButton) problems.push(`must be less than ${LIMITS.viewButton + 1} characters [json-pointer:/view/${k}/text]`);
    }
    const hasInput = Array.isArray(v.blocks) && v.blocks.some((b) => (b as Json)?.type === 'input');
    if (hasInput && !v.submit) problems.push('must provide submit when there are input blocks [json-pointer:/view/submit]');
  }
  if (typeof v.private_metadata === 'string' && v.private_metadata.length > LIMITS.privateMetadata) problems.push(`must be less than ${LIMITS.privateMetadata + 1} characters [json-pointer:/view/private_metadata]`);
  if (typeof v.callback_id === 'string' && v.callback_id.length > LIMITS.callbackId) problems.push(`must be less than ${LIMITS.callbackId + 1} characters [json-pointer:/view/callback_id]`);
  problems.push(...blockProblems(v.blocks ?? [], LIMITS.viewBlocks, '/view/blocks'));
  return { problems, tooLarge };
}
