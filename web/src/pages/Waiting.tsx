export function WaitingPage() {
  return <h1>Daftar tunggu</h1>;
}
