// The seed's (003, websocket) "Manual Testing with Socket.io Client" script, run unchanged on the npm
// socket.io-client package: only the URL's port differs. Usage: node websocket-seed-client.cjs <port>.
// Its console output is what the test reads.
const port = process.argv[2];

// ---- the seed's example, as published ----
const io = require('socket.io-client');

const socket = io(`http://localhost:${port}`);

socket.on('connect', () => {
  console.log('Connected:', socket.id);

  // Join room
  socket.emit('join_room', { room: 'global' });
});

socket.on('notification', (data) => {
  console.log('Notification:', data);
});

socket.on('error', (error) => {
  console.error('Error:', error);
});
// ---- end of the seed's example ----

socket.on('room_joined', (data) => console.log('Joined:', JSON.stringify(data)));
setTimeout(() => process.exit(0), 15000);
