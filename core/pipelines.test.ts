import { describe, expect, it } from 'vitest';
import { pipelineProblems, type StageShape } from './pipelines.ts';

const open = (name: string): StageShape => ({ name, isWon: false, isLost: false });
const won = (name: string): StageShape => ({ name, isWon: true, isLost: false });
const lost = (name: string): StageShape => ({ name, isWon: false, isLost: true });

describe('pipelineProblems', () => {
  it.each([
    ['a usual pipeline', [open('Discovery'), open('Proposal'), won('Won'), lost('Lost')], []],
    ['only open stages', [open('A'), open('B')], []],
    ['a stage both won and lost', [open('A'), { name: 'Done', isWon: true, isLost: true }], ['stages.1']],
    ['a duplicate name', [open('Proposal'), open('Proposal'), won('Won')], ['stages.1.name']],
    ['a duplicate name in another case and spacing', [open('Closed  won'), won('closed won')], ['stages.1.name']],
    ['no open stage', [won('Won'), lost('Lost')], ['stages']],
    ['several problems at once', [won('X'), { name: 'x', isWon: true, isLost: true }], ['stages.1', 'stages.1.name', 'stages']],
    ['no stages at all (checked elsewhere)', [], []],
  ] as [string, StageShape[], string[]][])('%s', (_name, stages, paths) => {
    expect(pipelineProblems(stages).map((p) => p.path)).toEqual(paths);
  });
});
