<?php

use Illuminate\Foundation\Inspiring;
use Illuminate\Support\Facades\Artisan;
use Illuminate\Support\Facades\Schedule;

Artisan::command('inspire', function () {
    $this->comment(Inspiring::quote());
})->purpose('Display an inspiring quote')->hourly();

Artisan::command('not:scheduled', function () {
    $this->call('other');
})->purpose('Defined, never scheduled');

Schedule::command('backup:run')->dailyAt('01:30');
Schedule::exec('/usr/local/bin/cleanup --days 7')->weeklyOn(0, '4:00');
?>
<p>Schedule::command('html:outside')->daily();</p>
