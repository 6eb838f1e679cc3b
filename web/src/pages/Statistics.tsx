export function StatisticsPage() {
  return <h1>Statistik</h1>;
}
