/*
 * chat_turn_calls.h
 *		sched.chat_turn's setting (chat_turn_calls.c): sched.chat_session_ttl.
 */
#ifndef SCHED_CHAT_TURN_CALLS_H
#define SCHED_CHAT_TURN_CALLS_H

extern void SchedChatTurnInit(void);

#endif							/* SCHED_CHAT_TURN_CALLS_H */
