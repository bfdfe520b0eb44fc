/** Reads one appeal from its event stream (always up to date), optionally as of a past instant. */
import { IQueryHandler, QueryHandler } from '@nestjs/cqrs';
import { Problem } from '../../http/problem';
import { AppealRepository, type LoadedAppeal } from '../appeal.repository';
import { GetAppealQuery } from './get-appeal.query';

@QueryHandler(GetAppealQuery)
export class GetAppealHandler implements IQueryHandler<GetAppealQuery, LoadedAppeal> {
  constructor(private readonly repository: AppealRepository) {}

  async execute({ appealId, asOfMs }: GetAppealQuery): Promise<LoadedAppeal> {
    const appeal =
      asOfMs === undefined
        ? await this.repository.load(appealId)
        : await this.repository.loadAsOf(appealId, asOfMs);
    if (appeal) return appeal;
    if (asOfMs !== undefined && (await this.repository.load(appealId))) {
      throw Problem.notFound(
        `appeal ${appealId} was not registered yet at ${new Date(asOfMs).toISOString()}`,
      );
    }
    throw Problem.notFound(`appeal ${appealId} not found`);
  }
}
