/**
 * `npm run bench`, routing part — 智能派单 (issue 17 item 9): top-1 and top-3 accuracy of the
 * category suggested from a case's text.
 *
 * 1. The demo seed's closed cases (a fresh in-memory database, seeded as `npm start` seeds it),
 *    segmented with jieba, split 80/20 with a fixed seed: trained on the 80 %, scored on the 20 %.
 *    The demo's texts are built from two core phrases per category (told in varied ways), so the
 *    held-back cases share their core phrase with training cases: this figure is an upper bound.
 * 2. The model trained on all of them, scored on reports written by hand for this bench — words
 *    the generator never uses — which is closer to what a dispatcher will see.
 */
import { randomBytes } from 'node:crypto';
import { accuracyOn, rankLabels } from '@civicgrid/core/routing/classifier';
import { tokenize } from '../src/modules/routing/tokenizer.js';
import {
  closedCaseDocuments,
  holdoutSeed,
  trainShare,
  trainWithHoldout,
} from '../src/modules/routing/training.js';
import { createFieldCrypto } from '../src/platform/crypto.js';
import { migrateDatabase, openPglite } from '../src/platform/db.js';
import { seedIfEmpty } from '../src/seed/seed.js';
import { recordBench } from './report.js';

/** Reports worded as residents write them, with the category a dispatcher would file them under. */
const handWritten: [string, string][] = [
  ['我家楼下那盏灯晚上一直不亮，黑漆漆的不敢走', 'C0103'],
  ['路灯杆子歪了，灯也灭了好几天', 'C0103'],
  ['马路中间的下水井盖子没了，很危险', 'C0101'],
  ['井盖一踩就晃，晚上有人绊倒', 'C0101'],
  ['垃圾好几天没人收，臭得不行', 'E0102'],
  ['小区门口一大堆垃圾袋没人管', 'E0102'],
  ['楼上装修天天砸墙到半夜，吵得睡不着', 'E0301'],
  ['工地晚上还在施工，噪音特别大', 'E0301'],
  ['饭店的油烟直接往我家窗户里灌', 'E0109'],
  ['有人在楼道里给电瓶车充电，拉的线到处都是', 'S1202'],
  ['电动车推进楼里充电，怕着火', 'S1202'],
  ['消防通道被车堵死了，救护车进不来', 'S1201'],
  ['家里没暖气了，屋里冷得很', 'S1305'],
  ['停水两天了也没个通知', 'S1305'],
  ['电梯又坏了，老人上不了楼', 'S1306'],
  ['邻居家漏水把我家天花板泡了，两家吵起来了', 'S1001'],
  ['包工头拖着工钱不给，过年回不了家', 'S1004'],
  ['老板两个月没发工资', 'S1004'],
  ['马路上有个大坑，车开过去咯噔一下', 'C0204'],
  ['人行道的砖都翘起来了', 'C0204'],
  ['红绿灯坏了，路口乱成一团', 'C0201'],
  ['大风把树刮倒了，横在路上', 'C0401'],
  ['广场舞音响开太大，晚上没法休息', 'E0508'],
  ['有个卖水果的摊子占着盲道', 'E0502'],
  ['门口乱停车，把小区出口堵了', 'E0504'],
  ['楼道里闻到一股煤气味', 'E0403'],
  ['下雨以后路上全是水，车过不去', 'E0405'],
  ['墙上到处贴的开锁小广告', 'E0201'],
  ['独居的老大爷好几天没出门，担心出事', 'S1401'],
  ['接到自称客服的电话要我转账', 'S1103'],
];

const t0 = performance.now();
const database = await openPglite();
await migrateDatabase(database);
const crypto = createFieldCrypto('aes', randomBytes(32), randomBytes(32));
await seedIfEmpty(database.db, { seedDemo: true, crypto, demoPassword: 'Demo@2026' });
const seededS = (performance.now() - t0) / 1000;

const t1 = performance.now();
const docs = await closedCaseDocuments(database.db);
const segmentMs = performance.now() - t1;
const t2 = performance.now();
const { model, figures } = trainWithHoldout(docs);
const trainMs = performance.now() - t2;

const pct = (x: number) => `${(x * 100).toFixed(1)} %`;
const distinct = new Set(docs.map((d) => d.tokens.join(' '))).size;
console.log(
  `routing: demo seed in ${seededS.toFixed(1)} s; ${docs.length} closed cases, ${distinct} distinct token lists, ${figures.categories} categories`,
);
console.log(
  `routing: jieba segmentation ${segmentMs.toFixed(0)} ms (${((segmentMs * 1000) / Math.max(docs.length, 1)).toFixed(0)} µs a case incl. the query); training (hold-out model + full model) ${trainMs.toFixed(0)} ms`,
);
console.log(
  `routing: held-back demo cases (${Math.round(trainShare * 100)}/${Math.round((1 - trainShare) * 100)} split, seed ${holdoutSeed}, n=${figures.holdout.n}): top-1 ${pct(figures.holdout.top1)}, top-3 ${pct(figures.holdout.top3)} — upper bound, the demo texts share core phrases`,
);
const hand = accuracyOn(
  model,
  handWritten.map(([text, label]) => ({ tokens: tokenize(text), label })),
);
console.log(
  `routing: hand-written reports never seen by the generator (n=${hand.n}): top-1 ${pct(hand.top1)}, top-3 ${pct(hand.top3)}`,
);
for (const [text, label] of handWritten) {
  const ranked = rankLabels(model, tokenize(text), 3);
  if (ranked[0]?.label !== label)
    console.log(
      `  missed: ${text} → ${ranked.map((r) => `${r.label} ${(r.confidence * 100).toFixed(0)}%`).join(', ')} (want ${label})`,
    );
}
recordBench('routing', [
  {
    name: 'category suggestion, held-back demo cases, top-1',
    value: +(figures.holdout.top1 * 100).toFixed(1),
    unit: '%',
  },
  {
    name: 'category suggestion, held-back demo cases, top-3',
    value: +(figures.holdout.top3 * 100).toFixed(1),
    unit: '%',
  },
  {
    name: 'category suggestion, hand-written reports, top-1',
    value: +(hand.top1 * 100).toFixed(1),
    unit: '%',
  },
  {
    name: 'category suggestion, hand-written reports, top-3',
    value: +(hand.top3 * 100).toFixed(1),
    unit: '%',
  },
  { name: 'training (hold-out + full model)', value: Math.round(trainMs), unit: 'ms' },
]);
await database.close();
