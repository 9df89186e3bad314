/*
 * wordlists.h
 *		The word lists of the chat readers (wordlists.c), for
 *		WordInList (words.h).
 */
#ifndef SCHED_WORDLISTS_H
#define SCHED_WORDLISTS_H

/* Site visit cues, and the places and media words a name cannot be. */
extern const char *const sched_visit_words[];
extern const char *const sched_not_in_person[];
extern const char *const sched_web_words[];
extern const char *const sched_property_words[];
extern const char *const sched_property_plurals[];
extern const char *const sched_media_words[];
extern const char *const sched_determiners[];
extern const char *const sched_wish_words[];
extern const char *const sched_come_words[];
extern const char *const sched_see_hindi[];
extern const char *const sched_hindi_come[];
extern const char *const sched_hindi_come_after[];

/* Callback cues. */
extern const char *const sched_callback_words[];
extern const char *const sched_you_words[];
extern const char *const sched_self_subjects[];
extern const char *const sched_modal_words[];
extern const char *const sched_cal_next[];
extern const char *const sched_phone_verb_next[];
extern const char *const sched_channel_words[];
extern const char *const sched_me_us[];
extern const char *const sched_talk_to_whom[];
extern const char *const sched_baat_next[];
extern const char *const sched_call_devanagari[];
extern const char *const sched_call_things[];
extern const char *const sched_call_noun_before[];

/* Negation. */
extern const char *const sched_break_words[];
extern const char *const sched_light_words[];
extern const char *const sched_plain_negators[];
extern const char *const sched_no_next[];
extern const char *const sched_not_exceptions_next[];
extern const char *const sched_post_negators[];
extern const char *const sched_not_needed[];
extern const char *const sched_hindi_want[];

/* Past tense. */
extern const char *const sched_past_verbs[];
extern const char *const sched_past_stoppers[];
extern const char *const sched_past_after[];

/* Bare affirmatives. */
extern const char *const sched_affirm_core[];
extern const char *const sched_affirm_filler[];

/* Dates and slots: names of the days (0 Sunday) and months, and cues. */
extern const char *const sched_weekday_names[7][3];
extern const char *const sched_month_names[12][3];
extern const char *const sched_weekday_hindi[7][8];
extern const char *const sched_tomorrow_words[];
extern const char *const sched_kal_words[];
extern const char *const sched_parso_words[];
extern const char *const sched_today_words[];
extern const char *const sched_last_words[];
extern const char *const sched_next_words[];
extern const char *const sched_slot_words[3][24];
extern const char *const sched_address_words[];
extern const char *const sched_not_then[];
extern const char *const sched_not_then_after[];

/* Names. */
extern const char *const sched_name_stop[];
extern const char *const sched_titles[];
extern const char *const sched_my_hindi[];
extern const char *const sched_i_hindi[];
extern const char *const sched_am_hindi[];
extern const char *const sched_speaking_words[];
extern const char *const sched_speaking_next[];
extern const char *const sched_greetings[];

#endif							/* SCHED_WORDLISTS_H */
