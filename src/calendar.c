/*
 * calendar.c
 *		Calendar arithmetic: leap years, the days of a month, real dates,
 *		dates to day numbers and back, and the weekday of a day number.
 *
 * Pure C, no PostgreSQL headers (see calendar.h).
 */
#include "calendar.h"

/*
 * IsLeap: a leap year of the Gregorian calendar.
 */
static bool
IsLeap(int y)
{
	return (y % 4 == 0 && y % 100 != 0) || y % 400 == 0;
}

/*
 * sched_days_in_month: 28 to 31; 0 for a month that is not one.
 */
int
sched_days_in_month(int y, int m)
{
	static const int days[12] = {31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31};

	if (m < 1 || m > 12)
		return 0;
	return m == 2 && IsLeap(y) ? 29 : days[m - 1];
}

/*
 * sched_valid_date: a real date of the years 1 to 9999.
 */
bool
sched_valid_date(int year, int month, int day)
{
	return year >= 1 && year <= 9999 && day >= 1 &&
		day <= sched_days_in_month(year, month);
}

/*
 * sched_days_from_civil: days since 1970-01-01 (H. Hinnant's
 * days_from_civil, proleptic Gregorian calendar).
 */
long
sched_days_from_civil(int year, int month, int day)
{
	long		y = (long) year - (month <= 2);
	long		era = (y >= 0 ? y : y - 399) / 400;
	long		yoe = y - era * 400;
	long		mp = (month + 9) % 12;
	long		doy = (153 * mp + 2) / 5 + day - 1;
	long		doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;

	return era * 146097 + doe - 719468;
}

/*
 * sched_civil_from_days: the date of a day number (the inverse of
 * sched_days_from_civil).
 */
void
sched_civil_from_days(long z, int *year, int *month, int *day)
{
	long		era;
	long		doe;
	long		yoe;
	long		doy;
	long		mp;
	long		y;

	z += 719468;
	era = (z >= 0 ? z : z - 146096) / 146097;
	doe = z - era * 146097;
	yoe = (doe - doe / 1460 + doe / 36524 - doe / 146096) / 365;
	y = yoe + era * 400;
	doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
	mp = (5 * doy + 2) / 153;
	*day = (int) (doy - (153 * mp + 2) / 5 + 1);
	*month = (int) (mp < 10 ? mp + 3 : mp - 9);
	*year = (int) (y + (*month <= 2));
}

/*
 * sched_weekday: 0 Sunday to 6 Saturday, of a day number.
 */
int
sched_weekday(long z)
{
	return (int) (z >= -4 ? (z + 4) % 7 : (z + 5) % 7 + 6);
}
