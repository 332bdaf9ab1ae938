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
  { list: listActivities, create: (s, i: ActivityCreate) => createActivity(s, i), get: (s, id) => getActivity(s, id), update: (s, id, p: ActivityUpdate) => updateActivity(s, id, p), remove: (s, id) => deleteActivity(s, id), restore: (s, id) => restoreActivity(s, id) },
);

export const taskRoutes = recordRoutes(
  {
    path: '/tasks', tag: 'Tasks', noun: 'task',
    schemas: { item: Activity, create: TaskCreate, update: TaskUpdate, query: TaskListQuery },
    createDescription: 'A follow-up with an optional due date. Complete it with PATCH {"completed": true}.',
  },
  { list: listTasks, create: createTask, get: (s, id) => getActivity(s, id, 'task'), update: updateTask, remove: (s, id) => deleteActivity(s, id, 'task'), restore: (s, id) => restoreActivity(s, id, 'task') },
);
