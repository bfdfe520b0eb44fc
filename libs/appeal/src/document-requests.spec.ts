// Document requests to other bodies (59-FZ art. 10 part 2): given/when/then on the decider.
import { rehydrate } from './appeal.decider';
import { toAppealView } from './appeal.view';
import {
  assigned,
  documentsReceived,
  documentsRequested,
  finalAnswered,
  given,
  recordDocumentsReply,
  registered,
  removedFromControl,
  requestDocuments,
} from './testing';

describe('RequestDocuments', () => {
  it('records the request with its reply due 15 calendar days after the local date it was sent', () => {
    given([registered(), assigned()])
      .when(requestDocuments({ reference: '01-12/345' }))
      .then([documentsRequested({ reference: '01-12/345', replyDueDate: '2018-03-20' })]);
  });

  it('counts calendar days across a month end and days off, in the administration zone', () => {
    // 2018-03-20T20:00Z is 21 March in Asia/Novokuznetsk (UTC+7); +15 days is Friday 5 April.
    given([registered()])
      .when(requestDocuments({ sentAt: '2018-03-20T20:00:00Z' }))
      .then([documentsRequested({ sentAt: '2018-03-20T20:00:00Z', replyDueDate: '2018-04-05' })]);
  });

  it('records nothing for the same request again (a retry)', () => {
    given([registered(), documentsRequested()]).when(requestDocuments()).then([]);
  });

  it('refuses a request sent before the registration date', () => {
    given([registered()])
      .when(requestDocuments({ sentAt: '2018-02-28T10:00:00+07:00' }))
      .thenRefused({ reason: 'invalid' });
  });

  it('refuses a request once the final answer is sent, or the appeal is closed', () => {
    given([registered(), assigned(), finalAnswered()])
      .when(requestDocuments())
      .thenRefused({ reason: 'not_allowed', state: 'final_answered' });
    given([registered(), assigned(), finalAnswered(), removedFromControl()])
      .when(requestDocuments())
      .thenRefused({ reason: 'not_allowed', state: 'closed' });
  });
});

describe('RecordDocumentsReply', () => {
  it('records the reply to a pending request, also after the final answer', () => {
    given([registered(), documentsRequested()]).when(recordDocumentsReply()).then([documentsReceived()]);
    given([registered(), assigned(), documentsRequested(), finalAnswered()])
      .when(recordDocumentsReply({ receivedAt: '2018-03-29T10:00:00+07:00' }))
      .then([documentsReceived({ receivedAt: '2018-03-29T10:00:00+07:00' })]);
  });

  it('refuses an unknown request, a second reply, and a reply before the request was sent', () => {
    given([registered()])
      .when(recordDocumentsReply({ requestId: 'nope' }))
      .thenRefused({ reason: 'unknown_document_request' });
    given([registered(), documentsRequested(), documentsReceived()])
      .when(recordDocumentsReply())
      .thenRefused({ reason: 'document_request_answered' });
    given([registered(), documentsRequested()])
      .when(recordDocumentsReply({ receivedAt: '2018-03-04T10:00:00+07:00' }))
      .thenRefused({ reason: 'invalid' });
  });

  it('refuses on a closed appeal', () => {
    given([registered(), assigned(), documentsRequested(), finalAnswered(), removedFromControl()])
      .when(recordDocumentsReply())
      .thenRefused({ reason: 'not_allowed', state: 'closed' });
  });
});

describe('the appeal view', () => {
  it('lists the requests still awaiting their reply, with the reply due date', () => {
    const second = documentsRequested({
      requestId: 'd-0002',
      to: 'МВД',
      sentAt: '2018-03-06T10:00:00+07:00',
    });
    const state = rehydrate([registered(), documentsRequested(), second, documentsReceived()]);
    if (state.status === 'unregistered') throw new Error('not registered');
    expect(toAppealView(state).pendingDocumentRequests).toEqual([
      { requestId: 'd-0002', to: 'МВД', sentAt: '2018-03-06T10:00:00+07:00', replyDueDate: '2018-03-20' },
    ]);
  });

  it('folds a stream recorded before document requests existed unchanged (none pending)', () => {
    const state = rehydrate([registered(), assigned(), finalAnswered()]);
    if (state.status === 'unregistered') throw new Error('not registered');
    expect(toAppealView(state).pendingDocumentRequests).toEqual([]);
    expect(state.status).toBe('final_answered');
  });
});
