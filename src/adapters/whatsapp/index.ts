import { WhatsAppChannelStatusSource, WhatsAppIntakeService } from '../../domain/whatsapp/whatsapp-intake.service';
import { ChannelModule } from '../../modules/channel-module';
import { GraphApiClient } from './graph-api.client';
import { webhookRoutes } from './webhook.route';
import { WhatsAppSettings, whatsappSettingsFromEnv } from './whatsapp-settings';
import { WhatsAppStore } from './whatsapp-store';
import { WhatsAppEraser } from './whatsapp-eraser';
import { WhatsAppWorker } from './whatsapp.worker';

const OFF: WhatsAppChannelStatusSource = {
  status: async () => ({ configured: false, state: 'OFF', lastError: null, lastErrorAt: null, pendingDeliveries: 0, pendingSends: 0, pendingMedia: 0 }),
};

/**
 * The WhatsApp channel (the bureau's number on the WhatsApp Business Cloud API), on when
 * LOKET_WHATSAPP_PHONE_NUMBER_ID is set: the webhook stores each delivery before answering 200,
 * the worker turns stored deliveries into cases after commit, downloads media, and sends the
 * acknowledgements and answers from its outbox.
 */
export const whatsappModule: ChannelModule<WhatsAppSettings | null> = {
  name: 'whatsapp',
  settings: whatsappSettingsFromEnv,
  // What the module keeps of a person goes with their identity (eraseRequester, retention).
  erasers: (dataSource) => [new WhatsAppEraser(dataSource)],
  start(settings, context) {
    if (!settings) return { provides: { whatsappChannel: OFF }, stop: async () => undefined };
    const log = context.log.child({ channel: 'whatsapp' });
    const store = new WhatsAppStore(context.dataSource, context.clock);
    const intake = new WhatsAppIntakeService(context.intake, context.cases, store, context.clock, {
      threadWindowMs: settings.threadWindowMs,
      statusPageUrl: context.statusPageUrl,
    });
    const worker = new WhatsAppWorker(settings, store, intake, new GraphApiClient(settings), context.cases, context.files, context.clock, context.statusPageUrl, log);
    worker.start();
    // An answer recorded with deliveredVia WHATSAPP is queued right after its commit.
    const unsubscribe = context.onCommit(() => worker.kick());
    return {
      provides: {
        whatsappChannel: {
          status: () => worker.status(),
          idle: async () => {
            worker.kick();
            await worker.idle();
          },
        } satisfies WhatsAppChannelStatusSource,
      },
      routes: webhookRoutes({
        appSecret: settings.appSecret,
        verifyToken: settings.verifyToken,
        maxBodyBytes: settings.maxBodyBytes,
        record: (body, at) => store.recordDelivery(body, at),
        stored: () => worker.kick(),
        clock: context.clock,
        log,
      }),
      // A rejected token is shown, but the instance stays ready: webhooks must still be taken and stored.
      readinessDetail: (): Record<string, unknown> => ({ whatsapp: worker.healthy ? 'OK' : 'ERROR' }),
      stop: async () => {
        unsubscribe();
        await worker.stop();
      },
    };
  },
};
