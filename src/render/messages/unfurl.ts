/** Every user-visible string of link unfurls, in English and Korean, for the shared message catalogue. */
export interface UnfurlMessages {
  noDescription: string;
  deprecated: string;
  owners: (names: string) => string;
  noOwner: string;
  updated: (when: string) => string;
  columns: (n: number) => string;
}

export const unfurlMessages: { en: UnfurlMessages; ko: UnfurlMessages } = {
  en: {
    noDescription: '_No description yet._',
    deprecated: ':warning: deprecated',
    owners: (names) => `Owners: ${names}`,
    noOwner: 'No owner',
    updated: (when) => `Updated ${when}`,
    columns: (n) => (n === 1 ? '1 column' : `${n} columns`),
  },
  ko: {
    noDescription: '_아직 설명이 없습니다._',
    deprecated: ':warning: 지원 중단',
    owners: (names) => `담당자: ${names}`,
    noOwner: '담당자 없음',
    updated: (when) => `${when} 업데이트`,
    columns: (n) => `컬럼 ${n}개`,
  },
};
