#!/usr/bin/env node
// A committed launcher, so the `dbbackup` bin link exists right after install, before the first build.
import '../dist/main.js';
