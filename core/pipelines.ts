// What makes a pipeline's stages coherent, checked on every edit: a stage is won or lost, not both;
// names are distinct (as people read them: case and spacing aside); and at least one stage is open,
// or no deal could ever be in progress.
export interface StageShape {
  name: string;
  isWon: boolean;
  isLost: boolean;
}

export interface StageProblem {
  path: string;
  message: string;
}

const nameKey = (name: string) => name.trim().replace(/\s+/g, ' ').toLowerCase();

export function pipelineProblems(stages: readonly StageShape[]): StageProblem[] {
  const problems: StageProblem[] = [];
  const seen = new Map<string, number>();
  stages.forEach((stage, i) => {
    if (stage.isWon && stage.isLost) problems.push({ path: `stages.${i}`, message: `"${stage.name}" cannot be both won and lost` });
    const key = nameKey(stage.name);
    const first = seen.get(key);
    if (first !== undefined) problems.push({ path: `stages.${i}.name`, message: `"${stage.name}" is already the name of stage ${first + 1}` });
    else seen.set(key, i);
  });
  if (stages.length > 0 && stages.every((s) => s.isWon || s.isLost)) problems.push({ path: 'stages', message: 'a pipeline needs at least one open stage (neither won nor lost)' });
  return problems;
}
