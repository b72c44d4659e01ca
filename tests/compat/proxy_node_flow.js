// Twilio's official Node helper library (npm `twilio`, pinned in package-lock.json) against
// masked-comms' Proxy API, unchanged but for a request client that sends its Proxy requests
// to our base URL. Run twice by the integration suite: with an Account-SID-shaped basic-auth
// user (the library refuses an account SID that does not start with AC), and with an API
// key (SK...) plus the account SID given separately.
// Usage: node proxy_node_flow.js BASE_URL USER PASSWORD ACCOUNT_SID NUMBER ALICE BOB
'use strict';
const assert = require('assert');
const twilio = require('twilio');

const [base, user, password, accountSid, number, alice, bob] = process.argv.slice(2);

class OurServer extends twilio.RequestClient {
  request(opts) {
    opts.uri = opts.uri.replace(/^https:\/\/proxy\.twilio\.com/, base);
    return super.request(opts);
  }
}

const client = user.startsWith('SK')
  ? twilio(user, password, { accountSid, httpClient: new OurServer() })
  : twilio(user, password, { httpClient: new OurServer() });

async function main() {
  const proxy = client.proxy.v1;
  const service = await proxy.services.create({
    uniqueName: `node flow ${Date.now()} ${Math.random()}`,
    defaultTtl: 600,
    numberSelectionBehavior: 'avoid-sticky',
  });
  console.log(`service ${service.sid} ttl ${service.defaultTtl}`);
  assert.strictEqual(service.defaultTtl, 600);
  assert.strictEqual(service.numberSelectionBehavior, 'avoid-sticky');

  const added = await proxy.services(service.sid).phoneNumbers.create({ phoneNumber: number, isReserved: true });
  console.log(`number ${added.phoneNumber} (${added.sid}) reserved ${added.isReserved}`);
  assert.strictEqual(added.phoneNumber, number);
  assert.strictEqual(added.isReserved, true);

  const services = await proxy.services.list({ pageSize: 1 });
  console.log(`services listed a page of one at a time: ${services.length}`);
  assert.ok(services.some((s) => s.sid === service.sid));
  assert.ok(services.length >= 2);

  const numbers = await proxy.services(service.sid).phoneNumbers.list();
  assert.deepStrictEqual(numbers.map((n) => n.sid), [added.sid]);
  await proxy.services(service.sid).phoneNumbers(added.sid).update({ isReserved: false });

  // The tutorial's calls: a session, two participants, close, remove.
  const sessions = proxy.services(service.sid).sessions;
  const session = await sessions.create({ mode: 'voice-only', uniqueName: `ride ${Date.now()}` });
  console.log(`session ${session.sid} ${session.mode} ${session.status}`);
  assert.strictEqual(session.mode, 'voice-only');
  const participants = sessions(session.sid).participants;
  const a = await participants.create({ identifier: alice, friendlyName: 'rider' });
  const b = await participants.create({ identifier: bob, friendlyName: 'driver' });
  for (const p of [a, b]) {
    console.log(`participant ${p.sid} ${p.friendlyName} through ${p.proxyIdentifier} (${p.proxyIdentifierSid})`);
    assert.strictEqual(p.proxyIdentifier, number);
    assert.strictEqual(p.proxyIdentifierSid, added.sid);
  }
  assert.deepStrictEqual((await participants.list()).map((p) => p.sid), [a.sid, b.sid]);
  assert.strictEqual((await sessions(session.uniqueName).fetch()).sid, session.sid);
  await assert.rejects(participants.create({ identifier: '+14155550199' }), (error) => {
    console.log(`a third participant: ${error.status} ${error.code}`);
    return error.status === 400 && error.code === 80609;
  });

  const other = await sessions.create({
    ttl: 120,
    // Not alice: she holds the service's one number already.
    participants: [{ Identifier: '+14155550191', FriendlyName: 'next rider' }],
  });
  assert.strictEqual((await sessions(other.sid).participants.list()).length, 1);
  const listed = await sessions.list({ pageSize: 1 });
  console.log(`sessions listed a page of one at a time: ${listed.length}`);
  assert.deepStrictEqual(listed.map((s) => s.sid), [other.sid, session.sid]);

  const closed = await sessions(session.sid).update({ status: 'closed' });
  console.log(`closed: ${closed.status}`);
  assert.strictEqual(closed.status, 'closed');
  assert.strictEqual(await sessions(session.sid).remove(), true);
  await assert.rejects(sessions(session.sid).fetch(), (error) => {
    console.log(`session fetch after delete: ${error.status} ${error.code}`);
    return error.status === 404 && error.code === 20404;
  });
  assert.strictEqual(await proxy.services(service.sid).phoneNumbers(added.sid).remove(), true);
  assert.strictEqual(await proxy.services(service.sid).remove(), true);
  await assert.rejects(proxy.services(service.sid).fetch(), (error) => {
    console.log(`fetch after delete: ${error.status} ${error.code}`);
    return error.status === 404 && error.code === 20404;
  });
  console.log('node flow ok');
}

main().catch((error) => {
  console.error(error);
  process.exit(1);
});
