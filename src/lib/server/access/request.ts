// The database for one HTTP request: as its signed-in user (see userdb.ts).
import { ready } from '../database';
import { asUser, type UserDb } from './userdb';

export async function dbFor(event: { locals: App.Locals }): Promise<UserDb> {
	return asUser(await ready(), event.locals.user);
}
