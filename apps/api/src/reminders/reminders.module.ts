/**
 * Deadline reminders: the reminder process (issuing on a tick), the reminder feed (GET /reminders,
 * GET /reminders/stream) and deliveries (webhook, e-mail digest). Imported by the app module.
 */
import { Module } from '@nestjs/common';
import { AppealsModule } from '../appeals/appeals.module';
import { ReadModelsModule } from '../read-models/read-models.module';
import { GetRemindersController } from './get-reminders/get-reminders.controller';
import { GetReminders } from './get-reminders/get-reminders.service';
import { ReminderRuntime } from './reminder-runtime.service';
import { RemindersStreamController } from './reminders-stream/reminders-stream.controller';

@Module({
  imports: [AppealsModule, ReadModelsModule],
  // the stream's static path is registered before any parameterised /reminders route
  controllers: [RemindersStreamController, GetRemindersController],
  providers: [ReminderRuntime, GetReminders],
  exports: [ReminderRuntime],
})
export class RemindersModule {}
