/** Makes the process's logger injectable. */
import { DynamicModule, Global, Module } from '@nestjs/common';
import type { Logger } from './logger';

export const LOGGER = Symbol('LOGGER');

@Global()
@Module({})
export class LoggerModule {
  static forRoot(logger: Logger): DynamicModule {
    return { module: LoggerModule, providers: [{ provide: LOGGER, useValue: logger }], exports: [LOGGER] };
  }
}
