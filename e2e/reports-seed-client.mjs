// The seed's (000, report-listener) WebSocket client example, run unchanged on the npm `ws` package: only the
// URL's port differs. Usage: node reports-seed-client.mjs <port>. Its console output is what the test reads.
import WebSocket from 'ws';

const port = process.argv[2];

// ---- the seed's example, as published ----
const ws = new WebSocket(`ws://localhost:${port}/api/v3/reports/listen`);

ws.onopen = function() {
    console.log('Connected to report listener');
};

ws.onmessage = function(event) {
    const message = JSON.parse(event.data);

    if (message.type === 'reports') {
        const batch = message.data;
        console.log(`Received ${batch.count} reports (seq ${batch.from_seq}-${batch.to_seq})`);

        batch.reports.forEach(report => {
            console.log(`Report ${report.seq}: ${report.id} at (${report.latitude}, ${report.longitude})`);
        });
    }
};

ws.onclose = function() {
    console.log('Disconnected from report listener');
};

ws.onerror = function(error) {
    console.error('WebSocket error:', error);
};
// ---- end of the seed's example ----

// The test writes "close" on stdin when it has seen enough.
process.stdin.on('data', () => { ws.close(); process.stdin.destroy(); });
