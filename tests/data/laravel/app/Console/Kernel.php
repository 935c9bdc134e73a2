<?php

namespace App\Console;

use App\Jobs\Heartbeat;
use Illuminate\Console\Scheduling\Schedule;
use Illuminate\Foundation\Console\Kernel as ConsoleKernel;

// Digger's golden Laravel Kernel: one task per frequency method (tests/unit/command_laravel_test.cpp).
class Kernel extends ConsoleKernel
{
    protected function schedule(Schedule $s): void
    {
        // $s->command('commented:out')->daily();
        /* $s->command('block:comment')->hourly(); */
        $text = '$s->command("in:string")->daily();';
        $s->command('m:every-minute')->everyMinute();
        $s->command('m:two')->everyTwoMinutes();
        $s->command('m:three')->everyThreeMinutes();
        $s->command('m:four')->everyFourMinutes();
        $s->command('m:five')->everyFiveMinutes();
        $s->command('m:ten')->everyTenMinutes();
        $s->command('m:fifteen')->everyFifteenMinutes();
        $s->command('m:thirty')->everyThirtyMinutes();
        $s->command('h:hourly')->hourly();
        $s->command('h:at')->hourlyAt(17);
        $s->command('h:at-list')->hourlyAt([15, 45]);
        $s->command('h:odd')->everyOddHour();
        $s->command('h:even')->everyEvenHour(5);
        $s->command('h:two')->everyTwoHours();
        $s->command('h:three')->everyThreeHours(10);
        $s->command('h:four')->everyFourHours();
        $s->command('h:six')->everySixHours();
        $s->command('d:daily')->daily();
        $s->command('d:at')->dailyAt('13:05');
        $s->command('d:at-hour')->at('7');
        $s->command('d:twice')->twiceDaily(1, 13);
        $s->command('d:twice-default')->twiceDaily();
        $s->command('d:twice-at')->twiceDailyAt(3, 15, 30);
        $s->command('w:weekly')->weekly();
        $s->command('w:on')->weeklyOn(1, '8:00');
        $s->command('w:on-const')->weeklyOn(Schedule::FRIDAY, '17:30');
        $s->command('w:weekdays')->weekdays()->at('9:15');
        $s->command('w:weekends')->weekends();
        $s->command('w:mondays')->mondays();
        $s->command('w:sundays')->sundays()->hourly();
        $s->command('w:days')->days([Schedule::MONDAY, Schedule::WEDNESDAY])->dailyAt('2:00');
        $s->command('w:days-args')->days(2, 4);
        $s->command('mo:monthly')->monthly();
        $s->command('mo:on')->monthlyOn(4, '15:00');
        $s->command('mo:twice')->twiceMonthly(1, 16, '13:00');
        $s->command('mo:last')->lastDayOfMonth('15:00');
        $s->command('q:quarterly')->quarterly();
        $s->command('q:on')->quarterlyOn(2, '6:00');
        $s->command('y:yearly')->yearly();
        $s->command('y:on')->yearlyOn(6, 1, '17:00');
        $s->command('c:cron')->cron('15 2 * * 1-5');
        $s->command('s:thirty-seconds')->everyThirtySeconds();
        $s->command('emails:send', ['--force', 'user' => 'Jane Doe'])
            ->daily()
            ->timezone('America/Chicago')
            ->between('8:00', '17:00')
            ->environments(['production'])
            ->withoutOverlapping()
            ->onOneServer()
            ->runInBackground()
            ->evenInMaintenanceMode();
        $s->job(new Heartbeat)->everyFiveMinutes();
        $s->job(\App\Jobs\Prune::class, 'low')->dailyAt('3:00');
        $s->exec('node /home/forge/script.js')->user('forge')->daily();
        $s->call(function () {
            DB::table('recent_users')->delete();
        })->daily()->name('purge recent users');
        $s->command(SendReports::class)->monthly();
        $s->command($dynamic)->hourly();
        $s->command('x:config')->cron(config('app.cron'));
        $s->command('x:when')->daily()->when(fn () => true);
        $s->command('x:unknown')->daily()->sundaysOnlyWhenRaining();
        if (app()->isProduction()) {
            $s->command('x:conditional')->hourly();
        }
    }
}
