/**
 * User-visible text of the table card's SQL name, overflow menu, edit conflicts and saved-edit confirmations, in
 * English and Korean (to be folded into the shared message catalogue).
 */
export const cardMessages = {
  en: {
    sqlName: 'Name for SQL',
    menuPlaceholder: 'Edit…',
    menu: { description: 'Edit description', columns: 'Edit column descriptions', tags: 'Edit tags', owners: 'Edit owners', history: 'History' },
    conflictByOthers: (names: string, table: string) => `${names} edited ${table} while you were editing. Please reopen it to see their change, then try again.`,
    conflictBySelf: (table: string) => `You edited ${table} yourself (in another dialog) since you opened this one. Please reopen it to see that change, then try again.`,
    conflictUnknown: (table: string) => `Someone else edited ${table} while you were editing. Please reopen it and try again.`,
    savedElsewhere: 'The card you edited from has expired, so here is the updated card.',
  },
  ko: {
    sqlName: 'SQL용 이름',
    menuPlaceholder: '편집…',
    menu: { description: '설명 편집', columns: '컬럼 설명 편집', tags: '태그 편집', owners: '소유자 편집', history: '변경 기록' },
    conflictByOthers: (names: string, table: string) => `편집하시는 동안 ${names} 님이 ${table}을(를) 수정했습니다. 다시 열어 변경 내용을 확인한 뒤 시도해 주세요.`,
    conflictBySelf: (table: string) => `이 창을 연 뒤 다른 창에서 직접 ${table}을(를) 수정하셨습니다. 다시 열어 그 변경을 확인한 뒤 시도해 주세요.`,
    conflictUnknown: (table: string) => `편집하시는 동안 다른 분이 ${table}을(를) 수정했습니다. 다시 열어 시도해 주세요.`,
    savedElsewhere: '편집을 시작한 카드가 만료되어 새로 고친 카드를 보내 드립니다.',
  },
} as const;

export type CardMessages = (typeof cardMessages)['en'];
