import { Activity, ActivityCreate, ActivityListQuery, ActivityUpdate, TaskCreate, TaskListQuery, TaskUpdate } from '../../../core/schemas/activities.ts';
import {
  createActivity,
  createTask,
  deleteActivity,
  getActivity,
  listActivities,
  listTasks,
  restoreActivity,
  updateActivity,
  updateTask,
} from './activities.service.ts';
import { recordRoutes } from './record-routes.ts';

export const activityRoutes = recordRoutes(
  { path: '/activities', tag: 'Activities', noun: 'activity', schemas: { item: Activity, create: ActivityCreate, update: ActivityUpdate, query: ActivityListQuery } },
  { list: listActivities, create: (tx, a, i: ActivityCreate) => createActivity(tx, a, i), get: (tx, a, id) => getActivity(tx, a, id), update: (tx, a, id, p: ActivityUpdate) => updateActivity(tx, a, id, p), remove: (tx, a, id) => deleteActivity(tx, a, id), restore: (tx, a, id) => restoreActivity(tx, a, id) },
);

export const taskRoutes = recordRoutes(
  {
    path: '/tasks', tag: 'Tasks', noun: 'task',
    schemas: { item: Activity, create: TaskCreate, update: TaskUpdate, query: TaskListQuery },
    createDescription: 'A follow-up with an optional due date. Complete it with PATCH {"completed": true}.',
  },
  { list: listTasks, create: createTask, get: (tx, a, id) => getActivity(tx, a, id, 'task'), update: updateTask, remove: (tx, a, id) => deleteActivity(tx, a, id, 'task'), restore: (tx, a, id) => restoreActivity(tx, a, id, 'task') },
);
