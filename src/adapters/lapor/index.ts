import { LaporService } from '../../domain/lapor/lapor.service';
import { ScheduledJob } from '../../domain/scheduling/scheduled-job';
import { ChannelModule } from '../../modules/channel-module';
import { LaporHttpGateway } from './lapor-http.gateway';
import { LaporSettings, laporSettingsFromEnv } from './lapor-settings';
import { TypeormLaporStore } from './typeorm-lapor.store';

/** The follow-up clock and the outbox are checked every minute; the pull runs every LOKET_LAPOR_POLL_SECONDS. */
const CLOCK_PERIOD_SECONDS = 60;

/**
 * SP4N-LAPOR!: with LOKET_LAPOR_URL and LOKET_LAPOR_TOKEN, a scheduler job pulls the reports
 * dispositioned to the bureau and an outbox worker posts follow-ups and answers; without them,
 * the complaint officer registers reports and follow-ups by hand (logLaporReport,
 * recordLaporFollowUp). The follow-up clock job runs either way.
 */
export const laporModule: ChannelModule<LaporSettings> = {
  name: 'lapor',
  settings: laporSettingsFromEnv,
  async start(settings, context) {
    const log = context.log.child({ channel: 'lapor' });
    const store = new TypeormLaporStore(context.dataSource);
    const gateway = settings.api ? new LaporHttpGateway(settings.api) : null;
    let lastFailure: string | null = null;
    const service = new LaporService(store, gateway, context.intake, context.cases, context.deadlines, context.files, context.fileAccess, context.clock, (kind, message) => {
      lastFailure = kind;
      // English, no personal data, never the token (the gateway's messages carry neither).
      log.error({ kind, error: message }, 'SP4N-LAPOR! channel in error state');
    });
    const jobs: ScheduledJob[] = [
      { name: 'lapor-follow-up-clock', periodSeconds: CLOCK_PERIOD_SECONDS, run: async () => ({ ...(await service.runClocks()) }) },
    ];
    let unsubscribe: (() => void) | null = null;
    let sending: Promise<void> | null = null;
    const sendNow = (): void => {
      if (!gateway || sending) return;
      sending = (async () => {
        try {
          await service.collectOutgoing();
          await service.sendOutgoing();
        } catch (err) {
          log.error({ error: (err as Error).message }, 'SP4N-LAPOR! outbox run failed');
        } finally {
          sending = null;
        }
      })();
    };
    if (gateway) {
      await service.startOutgoing();
      jobs.push({
        name: 'lapor-pull',
        periodSeconds: settings.pollSeconds,
        run: async ({ signal }) => {
          const counts = await service.poll(signal);
          lastFailure = null;
          return counts;
        },
      });
      jobs.push({
        name: 'lapor-outbox',
        periodSeconds: CLOCK_PERIOD_SECONDS,
        run: async ({ signal }) => ({ queued: await service.collectOutgoing(), ...(await service.sendOutgoing(signal)) }),
      });
      // After every committed case change, look for answers and follow-ups to post.
      unsubscribe = context.onCommit(sendNow);
    }
    return {
      provides: { laporChannel: service },
      jobs,
      // An outage of LAPOR! is shown, but does not take this instance out of the load balancer.
      readinessDetail: (): Record<string, unknown> => (gateway ? { laporChannel: lastFailure === null ? 'OK' : 'ERROR' } : {}),
      stop: async () => {
        unsubscribe?.();
        await sending;
      },
    };
  },
};
