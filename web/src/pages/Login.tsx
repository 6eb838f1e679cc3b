import { useState, type FormEvent } from 'react';
import { graphql } from '../gql';
import { request } from '../api';
import { begin, takeExpiredFlag } from '../session';
import { ErrorBox, PageTitle, TextField, useAction } from '../ui';

const LOGIN = graphql(`
  mutation Login($username: String!, $password: String!) {
    login(username: $username, password: $password) {
      token
      expiresAt
      user {
        id
        username
        displayName
        role
        team
      }
    }
  }
`);

export function LoginPage() {
  const [username, setUsername] = useState('');
  const [password, setPassword] = useState('');
  const [expired] = useState(() => takeExpiredFlag());
  const { busy, error, run } = useAction(async () => {
    const { login } = await request(LOGIN, { username: username.trim(), password });
    begin({ token: login.token, expiresAt: login.expiresAt, user: login.user });
  });
  const submit = (e: FormEvent) => {
    e.preventDefault();
    void run();
  };
  return (
    <main className="login" id="main">
      <PageTitle>Masuk ke Loket</PageTitle>
      <p>Layanan Data, Informasi dan Pengaduan – Biro Kesejahteraan Rakyat, Setda Provinsi Kalimantan Barat</p>
      {expired && (
        <p className="notice" role="status">
          Sesi Anda telah berakhir. Silakan masuk lagi; isian formulir meja layanan tetap tersimpan.
        </p>
      )}
      <form onSubmit={submit} className="card">
        <TextField label="Nama pengguna" value={username} onChange={setUsername} required autoComplete="username" name="username" />
        <TextField label="Kata sandi" type="password" value={password} onChange={setPassword} required autoComplete="current-password" name="password" />
        <ErrorBox error={error} />
        <button type="submit" disabled={busy}>
          Masuk
        </button>
      </form>
    </main>
  );
}
