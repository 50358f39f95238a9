import { serviceEnv } from '../../bench/service-env';
import { OpenAiEmbedder } from '../../src/adapters/http/openai-embedder';
import { intentSimilarities, prepareIntentExamples, type IntentLabel } from '../../src/answering/classify';

const URL = process.env.EMBEDDINGS_URL ?? serviceEnv().EMBEDDINGS_URL ?? 'http://127.0.0.1:8089';

/**
 * The intent examples generalise: utterances written for this test, in neither the examples file nor any
 * evaluation set, land nearest the intent they ask, in English and Korean.
 */
describe('intents by meaning, through the real model server', () => {
  const embedder = new OpenAiEmbedder({ url: URL, model: 'multilingual-e5-small', sendInputType: true });
  beforeAll(async () => {
    expect(await prepareIntentExamples(embedder)).toBe(true);
  });

  const nearest = async (text: string): Promise<IntentLabel> => {
    const [vector] = await embedder.embed([text], 'query');
    const sims = await intentSimilarities(vector!, embedder);
    expect(sims).toBeDefined();
    return [...sims!.entries()].sort((a, b) => b[1] - a[1])[0]![0];
  };

  it.each<[string, IntentLabel]>([
    ['who should I talk to before changing this table?', 'owners'],
    ['이 테이블 문의는 누구한테 하면 돼요?', 'owners'],
    ['did this table get fresh data this morning?', 'last_updated'],
    ['오늘 아침에 데이터 들어왔어요?', 'last_updated'],
    ['what are the fields in this one?', 'columns'],
    ['is there anything about bicycle rentals per station?', 'find'],
    ['자전거 대여소별 대여 건수 테이블 있나요?', 'find'],
  ])('%s → %s', async (text, label) => {
    expect(await nearest(text)).toBe(label);
  });
});
