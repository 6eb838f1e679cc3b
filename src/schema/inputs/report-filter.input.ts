import { ReportFilter } from '../../domain/reports/report-filter';
import { CaseReportFilterInput } from '../types/report.types';

export function toReportFilter(from: Date, to: Date, f: CaseReportFilterInput | null | undefined): ReportFilter {
  return {
    from,
    to,
    kinds: f?.kind ?? undefined,
    channels: f?.channel ?? undefined,
    statuses: f?.status ?? undefined,
    complaintClasses: f?.complaintClass ?? undefined,
    teams: f?.team ?? undefined,
  };
}
