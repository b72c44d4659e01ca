// Twilio's official Node helper library (npm `twilio`, pinned in package-lock.json) against
// twilio-sandbox: if the library cannot tell the sandbox from Twilio, neither can
// masked-comms. Usage: node sandbox_compat.js http://127.0.0.1:PORT ACCOUNT_SID AUTH_TOKEN
'use strict';
const assert = require('assert');
const twilio = require('twilio');

const [base, accountSid, authToken] = process.argv.slice(2);

// Sends https://{product}.twilio.com/... to http://HOST:PORT/{product}/..., the only change
// the library needs; URLs the sandbox returns (next_page_url) already point at it.
class SandboxRequestClient extends twilio.RequestClient {
  request(opts) {
    opts.uri = opts.uri.replace(/^https:\/\/([a-z]+)\.twilio\.com/, `${base}/$1`);
    return super.request(opts);
  }
}

const client = twilio(accountSid, authToken, { httpClient: new SandboxRequestClient() });
let failures = 0;
let count = 0;

async function check(name, body) {
  count += 1;
  try {
    await body();
    console.log(`ok ${count} - ${name}`);
  } catch (error) {
    failures += 1;
    console.log(`not ok ${count} - ${name}\n  ${(error && error.stack) || error}`);
  }
}

async function expectTwilioError(promise, status, code) {
  try {
    await promise;
  } catch (error) {
    assert.strictEqual(error.status, status, `HTTP status of ${error.message}`);
    assert.strictEqual(error.code, code, `Twilio code of ${error.message}`);
    assert.match(error.moreInfo, /twilio\.com\/docs\/errors/);
    return error;
  }
  assert.fail(`expected error ${code}`);
}

(async () => {
  const numbers = (await client.incomingPhoneNumbers.list()).map((n) => n.phoneNumber);
  const address = '+14155550177';
  const other = '+14155550178';
  const unique = `compat-${Date.now()}`;
  let conversation;

  await check('incoming phone numbers are listed (2010 paging envelope)', async () => {
    assert.ok(numbers.length >= 8, `${numbers.length} numbers`);
    const page = await client.incomingPhoneNumbers.page({ pageSize: 3 });
    assert.strictEqual(page.instances.length, 3);
    const next = await page.nextPage();
    assert.ok(next && next.instances.length > 0, 'second page');
    assert.notStrictEqual(next.instances[0].sid, page.instances[0].sid);
  });

  await check('creates a conversation', async () => {
    conversation = await client.conversations.v1.conversations.create({
      friendlyName: 'compat', uniqueName: unique, attributes: JSON.stringify({ order: 42 }),
    });
    assert.match(conversation.sid, /^CH[0-9a-f]{32}$/);
    assert.strictEqual(conversation.uniqueName, unique);
    assert.strictEqual(conversation.state, 'active');
    assert.strictEqual(JSON.parse(conversation.attributes).order, 42);
    assert.ok(conversation.dateCreated instanceof Date && !isNaN(conversation.dateCreated));
    const fetched = await client.conversations.v1.conversations(unique).fetch();
    assert.strictEqual(fetched.sid, conversation.sid);
  });

  await check('adds SMS participants with proxy addresses', async () => {
    const first = await client.conversations.v1.conversations(conversation.sid).participants.create({
      'messagingBinding.address': address, 'messagingBinding.proxyAddress': numbers[0],
    });
    assert.match(first.sid, /^MB[0-9a-f]{32}$/);
    assert.strictEqual(first.messagingBinding.type, 'sms');
    assert.strictEqual(first.messagingBinding.address, address);
    assert.strictEqual(first.messagingBinding.proxy_address, numbers[0]);
    await client.conversations.v1.conversations(conversation.sid).participants.create({
      'messagingBinding.address': other, 'messagingBinding.proxyAddress': numbers[1],
    });
    const participants = await client.conversations.v1.conversations(conversation.sid).participants.list();
    assert.strictEqual(participants.length, 2);
  });

  await check('the same address and proxy address pair in a second conversation is 50416', async () => {
    const second = await client.conversations.v1.conversations.create({ friendlyName: 'second' });
    await expectTwilioError(
      client.conversations.v1.conversations(second.sid).participants.create({
        'messagingBinding.address': address, 'messagingBinding.proxyAddress': numbers[0],
      }), 409, 50416);
    await client.conversations.v1.conversations(second.sid).remove();
  });

  await check('a duplicate unique name is 50353', async () => {
    await expectTwilioError(
      client.conversations.v1.conversations.create({ uniqueName: unique }), 409, 50353);
  });

  await check('lists ParticipantConversations for an address, following paging', async () => {
    // Six more conversations for the same address, each through another proxy number.
    for (let i = 2; i < 8; i += 1) {
      const c = await client.conversations.v1.conversations.create({ friendlyName: `page-${i}` });
      await client.conversations.v1.conversations(c.sid).participants.create({
        'messagingBinding.address': address, 'messagingBinding.proxyAddress': numbers[i],
      });
    }
    const all = await client.conversations.v1.participantConversations.list({ address, pageSize: 3 });
    assert.strictEqual(all.length, 7);
    const proxies = new Set(all.map((pc) => pc.participantMessagingBinding.proxy_address));
    assert.strictEqual(proxies.size, 7);
    assert.ok(all.some((pc) => pc.conversationSid === conversation.sid));
    assert.ok(all.every((pc) => pc.conversationState === 'active'));
    const first = await client.conversations.v1.participantConversations.page({ address, pageSize: 3 });
    assert.strictEqual(first.instances.length, 3);
    const second = await first.nextPage();
    assert.strictEqual(second.instances.length, 3);
    const third = await second.nextPage();
    assert.strictEqual(third.instances.length, 1);
    assert.strictEqual(await third.nextPage(), undefined);
  });

  await check('closing a conversation frees its pairs; ParticipantConversations still lists it', async () => {
    const closed = await client.conversations.v1.conversations(conversation.sid).update({ state: 'closed' });
    assert.strictEqual(closed.state, 'closed');
    const again = await client.conversations.v1.conversations.create({ friendlyName: 'reuse' });
    await client.conversations.v1.conversations(again.sid).participants.create({
      'messagingBinding.address': address, 'messagingBinding.proxyAddress': numbers[0],
    });
    const all = await client.conversations.v1.participantConversations.list({ address });
    assert.ok(all.some((pc) => pc.conversationSid === conversation.sid && pc.conversationState === 'closed'));
  });

  await check('deletes the conversation', async () => {
    const removed = await client.conversations.v1.conversations(conversation.sid).remove();
    assert.strictEqual(removed, true);
    await expectTwilioError(client.conversations.v1.conversations(conversation.sid).fetch(), 404, 20404);
  });

  await check('creates, fetches and cancels a call', async () => {
    const call = await client.calls.create({
      to: '+14155550199', from: numbers[0],
      twiml: '<Response><Say>hello</Say></Response>', timeout: 30,
    });
    assert.match(call.sid, /^CA[0-9a-f]{32}$/);
    assert.strictEqual(call.direction, 'outbound-api');
    const canceled = await client.calls(call.sid).update({ status: 'canceled' });
    assert.ok(['canceled', 'completed'].includes(canceled.status), canceled.status);
    await expectTwilioError(
      client.calls.create({ to: '+14155550199', from: '+19995550100', url: 'http://127.0.0.1:9/x' }),
      400, 21210);
  });

  await check('lists the messaging service and its phone numbers', async () => {
    const services = await client.messaging.v1.services.list();
    assert.strictEqual(services.length, 1);
    const phoneNumbers = await client.messaging.v1.services(services[0].sid).phoneNumbers.list();
    assert.strictEqual(phoneNumbers.length, numbers.length);
    assert.deepStrictEqual(phoneNumbers[0].capabilities, ['Voice', 'SMS', 'MMS']);
  });

  await check('bad credentials are 20003', async () => {
    const intruder = twilio(accountSid, 'wrong-token', { httpClient: new SandboxRequestClient() });
    await expectTwilioError(intruder.conversations.v1.conversations.list(), 401, 20003);
  });

  console.log(`1..${count}`);
  process.exit(failures === 0 ? 0 : 1);
})().catch((error) => {
  console.log(`not ok - unexpected: ${error.stack || error}`);
  process.exit(1);
});
